package dev.stranglerkit.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application's own surfaces: every actuator endpoint but health needs the operators'
 * credentials ({@code spring.security.user}: {@code KIT_ADMIN_USER},
 * {@code KIT_ADMIN_PASSWORD}, shared in config-repo), over HTTP Basic, without a session.
 * The shop's API stays as open as before, and no security filter runs for it (no chain
 * matches it: the gateway measured 40 % of its CPU per request in a chain that matched
 * everything): the gateway is its way in, and the application listens on the loopback
 * interface only unless told otherwise ({@code server.address},
 * {@code KIT_BIND_ADDRESS}); with mutual TLS, the API answers the gateway's identity only
 * ({@link CallerIdentities}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class OperatorSurfaces {

	/** first: the chain for the shop's API ({@link CallerIdentities}) matches the rest */
	static final int ORDER = 10;

	@Bean
	@Order(ORDER)
	SecurityFilterChain operatorSurfacesFilterChain(HttpSecurity http) throws Exception {
		return http.securityMatcher("/actuator", "/actuator/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.anyRequest()
				.hasRole("ADMIN"))
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

}
