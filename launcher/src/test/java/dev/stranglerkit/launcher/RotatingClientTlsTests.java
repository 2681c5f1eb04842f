package dev.stranglerkit.launcher;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.stranglerkit.control.RotatingClientTls;
import dev.stranglerkit.control.Tls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client side of a certificate rotation (spring-boot#38608): a client built once on a
 * {@link RotatingClientTls} presents the bundle's newest certificate at its next
 * handshake, against a real TLS server that needs a client certificate and reports the
 * one it got.
 */
class RotatingClientTlsTests {

	@TempDir
	Path dir;

	Pki pki;

	HttpsServer server;

	@BeforeEach
	void startAServerThatNeedsAClientCertificate() throws Exception {
		this.pki = new Pki(this.dir.resolve("pki"));
		this.pki.issue("monolith", Duration.ofDays(1));
		this.pki.issue("gateway", Duration.ofDays(1));
		this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setHttpsConfigurator(new HttpsConfigurator(Tls.context(this.pki.dir(), "monolith")) {
			@Override
			public void configure(HttpsParameters parameters) {
				SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
				ssl.setNeedClientAuth(true);
				parameters.setSSLParameters(ssl);
			}
		});
		this.server.createContext("/", (exchange) -> {
			X509Certificate client = (X509Certificate) ((HttpsExchange) exchange).getSSLSession()
				.getPeerCertificates()[0];
			byte[] serial = client.getSerialNumber().toString(16).getBytes(StandardCharsets.UTF_8);
			// one request per connection: the next request handshakes anew
			exchange.getResponseHeaders().add("Connection", "close");
			exchange.sendResponseHeaders(200, serial.length);
			exchange.getResponseBody().write(serial);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void aClientPresentsTheRotatedCertificateFromItsNextConnectionOn() throws Exception {
		DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("kit", bundle());
		RotatingClientTls tls = new RotatingClientTls(bundles, "kit");
		HttpClient jdk = HttpClient.newBuilder().sslContext(tls.sslContext()).build();
		// as the gateway's BackendTls builds it
		SslContext nettyTls = SslContextBuilder.forClient()
			.sslProvider(SslProvider.JDK)
			.keyManager(tls.keyManager())
			.trustManager(tls.trustManager())
			.build();
		tls.forgetsSessionsOf(nettyTls.sessionContext());
		reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
			.secure((spec) -> spec.sslContext(nettyTls));
		BigInteger first = serial("gateway");
		assertThat(presented(jdk)).isEqualTo(first);
		assertThat(presented(netty)).isEqualTo(first);
		assertThat(tls.certificate().getSerialNumber()).isEqualTo(first);

		// ./kit certs rotate, and the bundle's reload (reload-on-update) tells the
		// handlers
		this.pki.issue("gateway", Duration.ofDays(1));
		bundles.updateBundle("kit", bundle());
		BigInteger second = serial("gateway");
		assertThat(second).isNotEqualTo(first);
		assertThat(presented(jdk)).isEqualTo(second);
		assertThat(presented(netty)).isEqualTo(second);
		assertThat(tls.certificate().getSerialNumber()).isEqualTo(second);
	}

	private SslBundle bundle() {
		return SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate("file:" + this.pki.certificate("gateway"))
					.withPrivateKey("file:" + this.pki.privateKey("gateway")),
				PemSslStoreDetails.forCertificate("file:" + this.pki.caCertificate())));
	}

	private BigInteger serial(String identity) {
		return Pki.read(this.pki.certificate(identity)).getSerialNumber();
	}

	private URI uri() {
		return URI.create("https://127.0.0.1:" + this.server.getAddress().getPort() + "/");
	}

	private BigInteger presented(HttpClient client) throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri()).build(),
				HttpResponse.BodyHandlers.ofString());
		return new BigInteger(response.body(), 16);
	}

	private BigInteger presented(reactor.netty.http.client.HttpClient client) {
		String body = client.get()
			.uri(uri().toString())
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
		return new BigInteger(body, 16);
	}

}
