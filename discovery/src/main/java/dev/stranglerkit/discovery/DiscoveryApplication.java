package dev.stranglerkit.discovery;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

import dev.stranglerkit.control.Tls;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The landscape's registry (Eureka). Everything but health needs the credentials
 * ({@code KIT_EUREKA_USER}, {@code KIT_EUREKA_PASSWORD}); the clients put them in their
 * service URL; with mutual TLS, an instance also registers under its own identity's name
 * only. Its timings come from {@code config-repo/discovery.yml}.
 */
@SpringBootApplication
@EnableEurekaServer
public class DiscoveryApplication {

	private static final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

	public static void main(String[] args) {
		SpringApplication.run(DiscoveryApplication.class, args);
	}

	@Bean
	SecurityFilterChain discoverySecurity(HttpSecurity http, Environment environment) throws Exception {
		boolean mtls = environment.containsProperty("kit.mtls.bundle");
		return http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers("/actuator/health/**", "/actuator/health").permitAll();
			if (mtls) {
				for (HttpMethod write : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
					requests.requestMatchers(write, "/eureka/apps/{app}", "/eureka/apps/{app}/**")
						.access(DiscoveryApplication::underItsOwnName);
				}
				// the other ways to write the registry: a peer's replication (one Eureka
				// here: no peers) and an auto-scaling group's status
				requests.requestMatchers("/eureka/peerreplication/**", "/eureka/asg/**").denyAll();
			}
			requests.anyRequest().authenticated();
		})
			.httpBasic(Customizer.withDefaults())
			// Eureka clients send no CSRF token
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * With mutual TLS, an instance registers, renews and cancels under its own name only:
	 * the identity of its client certificate ({@code spiffe://strangler-kit/monolith}
	 * registers {@code MONOLITH}), beside Eureka's credential. Reading stays open to
	 * every holder of the credential.
	 */
	static AuthorizationDecision underItsOwnName(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Object certificates = context.getRequest().getAttribute("jakarta.servlet.request.X509Certificate");
		String application = context.getVariables().get("app");
		boolean itself = certificates instanceof X509Certificate[] chain && chain.length > 0
				&& Tls.identity(chain[0]).filter((identity) -> identity.equalsIgnoreCase(application)).isPresent();
		return new AuthorizationDecision(itself && trust.isAuthenticated(authentication.get()));
	}

}
