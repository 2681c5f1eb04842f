package dev.stranglerkit.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The kit's own certificate authority, made on first use in {@code .kit/pki/}: one
 * certificate per application whose name is its identity (the SAN URI
 * {@code spiffe://strangler-kit/<application>}, as a service mesh names a workload), for
 * TLS both ways. The files are PEM, as Spring Boot's SSL bundles read them
 * ({@code spring.ssl.bundle.pem}): {@code ca.crt}; {@code <application>.crt} and
 * {@code <application>.key}; and the same as PKCS #12 for the clients that read only key
 * stores (the config client's and Eureka's, {@code spring.cloud.config.tls},
 * {@code eureka.client.tls}): {@code <application>.p12} and {@code truststore.p12}, with
 * the password {@value #STORE_PASSWORD} (the PEM keys beside them have none: the folder's
 * permissions protect both). A rotation writes new ones in place, each by a rename, so
 * that a reader never sees half a file.
 */
public final class Pki {

	/** the trust domain of every identity the kit issues */
	public static final String TRUST_DOMAIN = "strangler-kit";

	/** the password of the PKCS #12 stores (not a secret: see above) */
	public static final String STORE_PASSWORD = "strangler-kit";

	private static final SecureRandom random = new SecureRandom();

	private final Path dir;

	private final Clock clock;

	public Pki(Path dir) {
		this(dir, Clock.systemUTC());
	}

	Pki(Path dir, Clock clock) {
		this.dir = dir;
		this.clock = clock;
	}

	/**
	 * @return the identity of an application, as its certificate carries it
	 */
	public static URI identity(String application) {
		return URI.create("spiffe://" + TRUST_DOMAIN + "/" + application);
	}

	/**
	 * @return the identities a certificate carries (its SAN URIs in the kit's trust
	 * domain)
	 */
	public static List<String> identities(X509Certificate certificate) {
		List<String> identities = new ArrayList<>();
		try {
			Collection<List<?>> names = certificate.getSubjectAlternativeNames();
			for (List<?> name : (names != null) ? names : List.<List<?>>of()) {
				if (Integer.valueOf(GeneralName.uniformResourceIdentifier).equals(name.get(0))
						&& name.get(1).toString().startsWith("spiffe://" + TRUST_DOMAIN + "/")) {
					identities.add(name.get(1).toString());
				}
			}
		}
		catch (CertificateException ex) {
			throw new LaunchException("unreadable certificate: " + ex.getMessage());
		}
		return identities;
	}

	public Path dir() {
		return this.dir;
	}

	public Path caCertificate() {
		return this.dir.resolve("ca.crt");
	}

	public Path certificate(String application) {
		return this.dir.resolve(application + ".crt");
	}

	public Path privateKey(String application) {
		return this.dir.resolve(application + ".key");
	}

	public Path keyStore(String application) {
		return this.dir.resolve(application + ".p12");
	}

	public Path trustStore() {
		return this.dir.resolve("truststore.p12");
	}

	/**
	 * Issues the application's certificate unless a valid one is there.
	 * @return whether it issued one
	 */
	public boolean ensure(String application, Duration validity) {
		if (Files.isRegularFile(certificate(application)) && Files.isRegularFile(privateKey(application))
				&& Files.isRegularFile(keyStore(application)) && Files.isRegularFile(trustStore())) {
			X509Certificate current = read(certificate(application));
			if (current.getNotAfter().toInstant().isAfter(this.clock.instant())) {
				return false;
			}
		}
		issue(application, validity);
		return true;
	}

	/**
	 * Issues a new key and certificate for the application, signed by the kit's CA (made
	 * first when there is none), in place of any it had.
	 */
	public void issue(String application, Duration validity) {
		Authority ca = authority();
		try {
			KeyPair keys = keys();
			Instant now = this.clock.instant();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
					new BigInteger(128, random), Date.from(now.minus(Duration.ofMinutes(5))),
					Date.from(now.plus(validity)), new X500Name("CN=" + application + ",O=" + TRUST_DOMAIN),
					keys.getPublic());
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
				.addExtension(Extension.keyUsage, true,
						new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
				.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(
								new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }))
				.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(new GeneralName[] {
								new GeneralName(GeneralName.uniformResourceIdentifier,
										identity(application).toString()),
								new GeneralName(GeneralName.dNSName, "localhost"),
								new GeneralName(GeneralName.iPAddress, "127.0.0.1") }))
				.addExtension(Extension.subjectKeyIdentifier, false,
						extensions.createSubjectKeyIdentifier(keys.getPublic()))
				.addExtension(Extension.authorityKeyIdentifier, false,
						extensions.createAuthorityKeyIdentifier(ca.certificate()));
			X509Certificate certificate = sign(builder, ca.key());
			write(privateKey(application), pem(keys.getPrivate()));
			write(certificate(application), pem(certificate));
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry(application, keys.getPrivate(), STORE_PASSWORD.toCharArray(),
					new X509Certificate[] { certificate, ca.certificate() });
			write(keyStore(application), store);
			if (!Files.isRegularFile(trustStore())) {
				writeTrustStore(ca.certificate());
			}
		}
		catch (IOException | GeneralSecurityException | OperatorCreationException ex) {
			throw new LaunchException("could not issue the certificate of " + application + ": " + ex.getMessage());
		}
	}

	/** the CA's key and certificate, made on first use (valid ten years) */
	private Authority authority() {
		Path key = this.dir.resolve("ca.key");
		try {
			if (Files.isRegularFile(key) && Files.isRegularFile(caCertificate())) {
				try (PEMParser parser = new PEMParser(Files.newBufferedReader(key))) {
					Object read = parser.readObject();
					PrivateKey privateKey = (read instanceof PEMKeyPair pair)
							? new JcaPEMKeyConverter().getKeyPair(pair).getPrivate()
							: new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) read);
					return new Authority(privateKey, read(caCertificate()));
				}
			}
			Files.createDirectories(this.dir);
			owned(this.dir, "rwx------");
			KeyPair keys = keys();
			Instant now = this.clock.instant();
			X500Name name = new X500Name("CN=Strangler Kit local CA,O=" + TRUST_DOMAIN);
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(128, random),
					Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name,
					keys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
				.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
				.addExtension(Extension.subjectKeyIdentifier, false,
						new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
			X509Certificate certificate = sign(builder, keys.getPrivate());
			write(key, pem(keys.getPrivate()));
			write(caCertificate(), pem(certificate));
			writeTrustStore(certificate);
			return new Authority(keys.getPrivate(), certificate);
		}
		catch (IOException | GeneralSecurityException | OperatorCreationException ex) {
			throw new LaunchException("could not make the kit's CA in " + this.dir + ": " + ex.getMessage());
		}
	}

	private record Authority(PrivateKey key, X509Certificate certificate) {
	}

	private static KeyPair keys() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"), random);
		return generator.generateKeyPair();
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
			throws OperatorCreationException, CertificateException {
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
	}

	static X509Certificate read(Path pem) {
		try (var in = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		catch (IOException | CertificateException ex) {
			throw new LaunchException("could not read the certificate " + pem + ": " + ex.getMessage());
		}
	}

	private static String pem(Object object) throws IOException {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject((object instanceof PrivateKey key)
					? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
		}
		return out.toString();
	}

	private void writeTrustStore(X509Certificate ca) throws IOException, GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setCertificateEntry("ca", ca);
		write(trustStore(), store);
	}

	private static void write(Path file, KeyStore store) throws IOException, GeneralSecurityException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		store.store(out, STORE_PASSWORD.toCharArray());
		write(file, out.toByteArray());
	}

	private static void write(Path file, String content) throws IOException {
		write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** writes beside the file, then renames it over the old one */
	private static void write(Path file, byte[] content) throws IOException {
		Path next = file.resolveSibling(file.getFileName() + ".next");
		Files.write(next, content);
		if (file.getFileName().toString().endsWith(".key") || file.getFileName().toString().endsWith(".p12")) {
			owned(next, "rw-------");
		}
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** only the owner may read it (a key, the folder of the keys) */
	private static void owned(Path path, String permissions) throws IOException {
		try {
			Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
		}
		catch (UnsupportedOperationException notPosix) {
			// (a file system without POSIX permissions: the user's own settings apply)
		}
	}

}
