package dev.stranglerkit.gateway;

import javax.net.ssl.SSLException;

import dev.stranglerkit.control.RotatingClientTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With mutual TLS ({@code kit.mtls.bundle}, config-repo's {@code application-mtls.yml}):
 * every call to the monolith and the services, a routed request and a shadow's copy
 * alike, presents the gateway's certificate (the identity their APIs answer) and trusts
 * the kit's CA only. A rotated certificate is presented from the next connection on
 * ({@link RotatingClientTls}: Spring Boot reloads the server's certificate, not a
 * client's, spring-boot#38608).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("kit.mtls.bundle")
class BackendTls {

	@Bean
	RotatingClientTls backendClientTls(SslBundles bundles, @Value("${kit.mtls.bundle}") String bundle) {
		return new RotatingClientTls(bundles, bundle);
	}

	@Bean
	HttpClientCustomizer backendTlsCustomizer(RotatingClientTls tls) {
		return (client) -> secure(client, tls);
	}

	/**
	 * @return the client, presenting the current certificate on every new connection
	 */
	static HttpClient secure(HttpClient client, RotatingClientTls tls) {
		try {
			// the JDK's TLS engine: it asks the key manager at each handshake, where
			// OpenSSL's would keep the key it was built with
			SslContext context = SslContextBuilder.forClient()
				.sslProvider(SslProvider.JDK)
				.keyManager(tls.keyManager())
				.trustManager(tls.trustManager())
				.build();
			tls.forgetsSessionsOf(context.sessionContext());
			return client.secure((spec) -> spec.sslContext(context));
		}
		catch (SSLException ex) {
			throw new IllegalStateException("no TLS context for the backends: " + ex, ex);
		}
	}

}
