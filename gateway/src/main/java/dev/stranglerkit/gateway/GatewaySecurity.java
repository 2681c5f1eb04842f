package dev.stranglerkit.gateway;

import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The gateway's own surfaces: through the gateway's port every actuator endpoint but
 * health needs the admin credentials ({@code KIT_ADMIN_USER},
 * {@code KIT_ADMIN_PASSWORD}); the strangler routes are open, their own services decide.
 * The gateway actuator endpoint is read-only (CVE-2022-22947: never writable over HTTP).
 * The filter chain applies to {@code /actuator/**} only: run for every proxied request it
 * cost about 40 % of the gateway's CPU per request (benchmarks/results/gateway.md).
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

	@Bean
	SecurityWebFilterChain gatewaySecurityFilterChain(ServerHttpSecurity http) {
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator", "/actuator/**"))
			.authorizeExchange((exchanges) -> exchanges.matchers(EndpointRequest.to("health"))
				.permitAll()
				.matchers(EndpointRequest.toAnyEndpoint())
				.hasRole("ADMIN")
				.anyExchange()
				.hasRole("ADMIN"))
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.securityContextRepository(
					org.springframework.security.web.server.context.NoOpServerSecurityContextRepository.getInstance())
			.build();
	}

}
