package dev.stranglerkit.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The landscape's mutual TLS ({@code ./kit up --mtls}) as the kit's own clients see it:
 * {@code ./kit}, the tests. Once {@link #use used}, every application's URL is HTTPS and
 * every request of {@link Http} presents the given identity's certificate; until then the
 * landscape is plaintext HTTP. The applications themselves take their TLS from
 * config-repo ({@code application-mtls.yml}, profile {@value #PROFILE}).
 */
public final class Tls {

	/** the Spring profile of applications that run with mutual TLS */
	public static final String PROFILE = "mtls";

	/** the identity of the operators' tools ({@code ./kit}, the tests) */
	public static final String OPERATOR = "operator";

	/** what every identity of the kit starts with */
	public static final String TRUST_DOMAIN = "spiffe://strangler-kit/";

	private static final int URI_NAME = 6;

	private static volatile SSLContext context;

	private Tls() {
	}

	/** From now on the kit's clients speak HTTPS with this context's identity. */
	public static void use(SSLContext context) {
		Tls.context = context;
	}

	/** From now on the kit's clients speak plaintext HTTP. */
	public static void plaintext() {
		Tls.context = null;
	}

	/**
	 * @return whether the kit's clients speak HTTPS
	 */
	public static boolean on() {
		return context != null;
	}

	/**
	 * @return the context the kit's clients use, or null for plaintext
	 */
	static SSLContext context() {
		return context;
	}

	/**
	 * @return a builder of HTTP clients that present the operators' certificate when the
	 * landscape runs with mutual TLS
	 */
	public static HttpClient.Builder httpClient() {
		HttpClient.Builder builder = HttpClient.newBuilder();
		SSLContext context = Tls.context;
		return (context != null) ? builder.sslContext(context) : builder;
	}

	/**
	 * @return {@code https} or {@code http}
	 */
	public static String scheme() {
		return on() ? "https" : "http";
	}

	/**
	 * @return the base URL of what listens on the port on this machine, in the
	 * landscape's scheme
	 */
	public static URI local(int port) {
		return URI.create(scheme() + "://127.0.0.1:" + port);
	}

	/**
	 * An SSL context that presents the identity's certificate and trusts only the kit's
	 * CA, from the PEM files {@code ./kit certs} writes: {@code <identity>.crt},
	 * {@code <identity>.key} (PKCS #8) and {@code ca.crt} in the folder.
	 */
	public static SSLContext context(Path pki, String identity) {
		try {
			char[] password = new char[0];
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry(identity, privateKey(pki.resolve(identity + ".key")), password,
					certificates(pki.resolve(identity + ".crt")));
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, password);
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			int i = 0;
			for (Certificate ca : certificates(pki.resolve("ca.crt"))) {
				trusted.setCertificateEntry("ca-" + i++, ca);
			}
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException(
					"could not read the certificate of " + identity + " in " + pki + " (./kit certs): " + ex, ex);
		}
	}

	/**
	 * @return the name in the certificate's identity ({@code gateway} for
	 * {@code spiffe://strangler-kit/gateway}), or empty when it names none of the kit's
	 */
	public static Optional<String> identity(X509Certificate certificate) {
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			for (List<?> name : (names != null) ? names : List.<List<?>>of()) {
				if (Integer.valueOf(URI_NAME).equals(name.get(0)) && name.get(1).toString().startsWith(TRUST_DOMAIN)) {
					return Optional.of(name.get(1).toString().substring(TRUST_DOMAIN.length()));
				}
			}
			return Optional.empty();
		}
		catch (CertificateParsingException ex) {
			return Optional.empty();
		}
	}

	private static Certificate[] certificates(Path pem) throws IOException, GeneralSecurityException {
		try (InputStream in = Files.newInputStream(pem)) {
			return CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
		}
	}

	private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
		String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
		try {
			return KeyFactory.getInstance("EC").generatePrivate(spec);
		}
		catch (GeneralSecurityException notEc) {
			return KeyFactory.getInstance("RSA").generatePrivate(spec);
		}
	}

}
