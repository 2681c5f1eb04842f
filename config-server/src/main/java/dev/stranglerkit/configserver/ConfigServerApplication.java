package dev.stranglerkit.configserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.config.server.EnableConfigServer;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The landscape's control plane: serves {@code config-repo/} to every application, and
 * broadcasts a refresh over Spring Cloud Bus when a file there changes (or on
 * {@code POST /monitor}). Everything but health needs the credentials
 * ({@code KIT_CONFIG_USER}, {@code KIT_CONFIG_PASSWORD}): HTTP Basic for machines here, a
 * login form for people on the migration console ({@code /console}, see the
 * {@code console} package), which lives here because this is where config-repo is.
 */
@SpringBootApplication
@EnableConfigServer
public class ConfigServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(ConfigServerApplication.class, args);
	}

	@Bean
	SecurityFilterChain configServerSecurity(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health/**", "/actuator/health")
				.permitAll()
				.anyRequest()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			// machine clients only (config clients, ./kit, the bus monitor): no sessions,
			// no forms
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
