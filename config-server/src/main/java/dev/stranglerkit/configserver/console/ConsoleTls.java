package dev.stranglerkit.configserver.console;

import dev.stranglerkit.control.RotatingClientTls;
import dev.stranglerkit.control.Tls;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With mutual TLS ({@code kit.mtls.bundle}, config-repo's {@code application-mtls.yml}):
 * the console reads the landscape and checks a cutover's sides over HTTPS, presenting the
 * config server's certificate, and a rotated one from its next connection on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("kit.mtls.bundle")
class ConsoleTls {

	@Bean
	RotatingClientTls consoleClientTls(SslBundles bundles, @Value("${kit.mtls.bundle}") String bundle) {
		RotatingClientTls tls = new RotatingClientTls(bundles, bundle);
		// a cutover's checks of both sides (kit-control's Instances)
		Tls.use(tls.sslContext());
		return tls;
	}

}
