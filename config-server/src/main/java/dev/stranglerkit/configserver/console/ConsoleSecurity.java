package dev.stranglerkit.configserver.console;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.DeadLetters;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * The console is for people: a login form and a session (with CSRF protection for its
 * switches), with the console's own user ({@code KIT_CONSOLE_USER},
 * {@code KIT_CONSOLE_PASSWORD}), never the machines' one. Everything else on the config
 * server stays HTTP Basic for machines. The page's JSON calls answer 401 instead of a
 * redirect once the session is gone, and the page goes back to the login form.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleSecurity {

	static final String PERSON = "CONSOLE";

	@Bean
	@Order(1)
	SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties console) throws Exception {
		// the console's users only, and no other: the machines' credential is no login
		// here
		InMemoryUserDetailsManager people = new InMemoryUserDetailsManager(
				User.withUsername(console.user()).password("{noop}" + console.password()).roles(PERSON).build());
		return http.securityMatcher("/console/**")
			.authenticationManager(new ProviderManager(new DaoAuthenticationProvider(people)))
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/console/login", "/console/console.css")
				.permitAll()
				.anyRequest()
				.hasRole(PERSON))
			.formLogin((form) -> form.loginPage("/console/login").defaultSuccessUrl("/console", true))
			.logout((logout) -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?logout"))
			// the page's JSON calls get a 401, anything else the login form
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
						PathPatternRequestMatcher.withDefaults().matcher("/console/api/**"))
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/console/login"),
						AnyRequestMatcher.INSTANCE))
			.build();
	}

	/**
	 * The console's replay of dead letters, through the broker the config server's bus
	 * uses (the landscape's).
	 */
	@Bean
	DeadLetters deadLetters(RabbitProperties rabbit) {
		com.rabbitmq.client.ConnectionFactory broker = new com.rabbitmq.client.ConnectionFactory();
		broker.setHost(rabbit.determineHost());
		broker.setPort(rabbit.determinePort());
		broker.setUsername(rabbit.determineUsername());
		broker.setPassword(rabbit.determinePassword());
		broker.setVirtualHost((rabbit.determineVirtualHost() != null) ? rabbit.determineVirtualHost() : "/");
		return new DeadLetters(broker);
	}

	/** the folder this config server serves: where the console's switches are written */
	@Bean
	ConfigRepo configRepo(ConsoleProperties properties) {
		return new ConfigRepo(properties.configRepo().toAbsolutePath().normalize());
	}

}
