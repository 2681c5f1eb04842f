package dev.stranglerkit.configserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.config.server.EnableConfigServer;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The landscape's control plane: serves {@code config-repo/} to every application, and
 * broadcasts a refresh over Spring Cloud Bus when a file there changes (or on
 * {@code POST /monitor}). Everything but health needs the machines' credential
 * ({@code KIT_CONFIG_USER}, {@code KIT_CONFIG_PASSWORD}) over HTTP Basic; the migration
 * console ({@code /console}, see the {@code console} package), which lives here because
 * this is where config-repo is, takes its own login for people ({@code KIT_CONSOLE_USER},
 * {@code KIT_CONSOLE_PASSWORD}), and neither opens the other's surfaces.
 */
@SpringBootApplication
@EnableConfigServer
public class ConfigServerApplication {

	private static final String MACHINE = "CONFIG_CLIENT";

	public static void main(String[] args) {
		SpringApplication.run(ConfigServerApplication.class, args);
	}

	@Bean
	SecurityFilterChain configServerSecurity(HttpSecurity http, SecurityProperties security) throws Exception {
		// the machines' user only ({@code spring.security.user}): the console's login
		// opens
		// nothing here
		InMemoryUserDetailsManager machines = new InMemoryUserDetailsManager(
				User.withUsername(security.getUser().getName())
					.password("{noop}" + security.getUser().getPassword())
					.roles(MACHINE)
					.build());
		return http.authenticationManager(new ProviderManager(new DaoAuthenticationProvider(machines)))
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health/**", "/actuator/health")
				.permitAll()
				.anyRequest()
				.hasRole(MACHINE))
			.httpBasic(Customizer.withDefaults())
			// machine clients only (config clients, ./kit, the bus monitor): no sessions,
			// no forms
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
