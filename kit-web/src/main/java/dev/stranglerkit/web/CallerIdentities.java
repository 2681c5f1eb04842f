package dev.stranglerkit.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.SecurityFilterChain;

/**
 * With mutual TLS ({@code kit.mtls.bundle}, config-repo's {@code application-mtls.yml}),
 * the shop's API answers only the identities in {@code kit.mtls.callers} (the gateway's):
 * a caller is named by its client certificate's identity, the SAN URI
 * {@code spiffe://strangler-kit/<name>}, which the TLS handshake has already proven (the
 * server needs a certificate of the kit's CA). Any other identity of the kit gets 403, as
 * {@code application/problem+json}. The actuator endpoints stay the operators'
 * ({@link OperatorSurfaces}, matched first).
 * <p>
 * Every call is counted by its caller's identity and the serial number of the certificate
 * it showed ({@value #CALLS}): after {@code ./kit certs rotate}, the operators see each
 * caller move to its new certificate (a connection keeps the one it opened with).
 */
@AutoConfiguration(after = OperatorSurfaces.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty("kit.mtls.bundle")
public class CallerIdentities {

	/** the trust domain of the kit's identities */
	static final String TRUST_DOMAIN = "spiffe://strangler-kit/";

	/** calls by caller and certificate */
	static final String CALLS = "kit.mtls.calls";

	private static final int URI_NAME = 6;

	@Bean
	@Order(OperatorSurfaces.ORDER + 1)
	SecurityFilterChain callerIdentitiesFilterChain(HttpSecurity http, Environment environment,
			ObjectProvider<MeterRegistry> meters) throws Exception {
		List<String> callers = Binder.get(environment)
			.bind("kit.mtls.callers", Bindable.listOf(String.class))
			.orElse(List.of());
		MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
		return http.x509((x509) -> x509.x509PrincipalExtractor((certificate) -> {
			String caller = identity(certificate);
			registry.counter(CALLS, "caller", caller, "certificate", certificate.getSerialNumber().toString(16))
				.increment();
			return caller;
		})
			.userDetailsService((name) -> User.withUsername(name)
				.password("")
				.roles(callers.contains(name) ? "CALLER" : "KNOWN")
				.build()))
			// an error page renders an answer already decided (a 401 of the operators'
			// chain, say): it is no call of the API
			.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
				.permitAll()
				.anyRequest()
				.hasRole("CALLER"))
			.exceptionHandling((exceptions) -> exceptions
				.accessDeniedHandler((request, response, denied) -> problem(response, HttpServletResponse.SC_FORBIDDEN,
						TRUST_DOMAIN + request.getUserPrincipal().getName() + " may not call this API (callers: "
								+ String.join(", ", callers) + ")"))
				.authenticationEntryPoint((request, response, failed) -> problem(response,
						HttpServletResponse.SC_UNAUTHORIZED, "a client certificate of the kit's CA is needed")))
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	/**
	 * @return the name in the certificate's identity ({@code gateway} for
	 * {@code spiffe://strangler-kit/gateway})
	 */
	static String identity(X509Certificate certificate) {
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			for (List<?> name : (names != null) ? names : List.<List<?>>of()) {
				if (Integer.valueOf(URI_NAME).equals(name.get(0)) && name.get(1).toString().startsWith(TRUST_DOMAIN)) {
					return name.get(1).toString().substring(TRUST_DOMAIN.length());
				}
			}
		}
		catch (CertificateParsingException ex) {
			throw new BadCredentialsException("unreadable client certificate", ex);
		}
		throw new BadCredentialsException("the client certificate names no identity of the kit");
	}

	private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8);
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}".formatted(
					(status == HttpServletResponse.SC_FORBIDDEN) ? "Forbidden" : "Unauthorized", status,
					detail.replace("\"", "'")));
	}

}
