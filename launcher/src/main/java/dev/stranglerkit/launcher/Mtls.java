package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Tls;

/**
 * The landscape with mutual TLS: {@code ./kit up --mtls}, or every {@code ./kit up} once
 * a team sets {@code kit.mtls.enabled: true} in config-repo's application.yml. Every
 * application then runs with the profile {@value Tls#PROFILE}, whose settings are in
 * config-repo ({@code application-mtls.yml}: its certificate, HTTPS with client
 * certificates, Eureka's secure port, who may call it); what an application needs before
 * it can read config-repo (the config server's address and the client certificate it
 * shows there) comes from here, as its environment. While such a landscape runs
 * ({@code .kit/run/mtls}), every command of {@code ./kit} speaks HTTPS to it, as the
 * operator ({@code spiffe://strangler-kit/operator}).
 */
final class Mtls {

	/**
	 * the profile, as an argument: in the environment ({@code SPRING_PROFILES_INCLUDE})
	 * it would also reach the environment Spring Modulith builds apart from the
	 * application's (without its arguments), where the monolith would then miss its
	 * profile "landscape"
	 */
	static final String PROFILE_ARGUMENT = "--spring.profiles.include=" + Tls.PROFILE;

	/** how long an issued certificate is valid */
	static final Duration VALIDITY = Duration.ofDays(30);

	private final Path state;

	private final Pki pki;

	Mtls(Path state) {
		this.state = state;
		this.pki = new Pki(state.resolve("pki"));
	}

	Pki pki() {
		return this.pki;
	}

	/**
	 * @return every identity the kit issues a certificate to: each application's, the
	 * broker's and the operators'
	 */
	static List<String> identities() {
		List<String> identities = new ArrayList<>(Landscape.PORTS.keySet());
		identities.add(BrokerTls.IDENTITY);
		identities.add(DatabaseTls.IDENTITY);
		identities.add(Tls.OPERATOR);
		return identities;
	}

	/**
	 * @return whether the landscape runs (or is to start) with mutual TLS
	 */
	boolean on(ConfigRepo configRepo) {
		return Files.exists(marker()) || configRepo.mtls();
	}

	/**
	 * Issues the certificates missing or expired, has the local RabbitMQ listen with TLS
	 * ({@link BrokerTls}) and PostgreSQL take each application's certificate as its role
	 * ({@link DatabaseTls}), records that the landscape runs with mutual TLS, and has
	 * this process's clients use it.
	 * @param env the applications' environment (which databases they use)
	 */
	void start(Map<String, String> env) {
		identities().forEach((identity) -> this.pki.ensure(identity, VALIDITY));
		new BrokerTls(System.out::println).ensure(this.pki);
		new DatabaseTls(env, System.out::println).ensure(this.pki);
		try {
			Files.createDirectories(marker().getParent());
			Files.writeString(marker(), "the landscape runs with mutual TLS (./kit up --mtls)\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		client();
	}

	/**
	 * This process's clients speak HTTPS, as the operator (once {@code ./kit up} has
	 * issued the certificates: until then nothing runs with them).
	 */
	void client() {
		if (Files.isRegularFile(this.pki.certificate(Tls.OPERATOR))) {
			Tls.use(Tls.context(this.pki.dir(), Tls.OPERATOR));
		}
	}

	/**
	 * {@code ./kit certs rotate}: new certificates for every identity, under the same CA;
	 * a landscape that runs takes them without a restart, the broker and the database
	 * server included.
	 * @param env the applications' environment
	 */
	void rotate(Map<String, String> env) {
		identities().forEach((identity) -> this.pki.issue(identity, VALIDITY));
		if (Files.exists(marker())) {
			new BrokerTls(System.out::println).ensure(this.pki);
			new DatabaseTls(env, System.out::println).server(this.pki);
		}
	}

	/** The landscape is stopped: the next one starts plaintext unless told otherwise. */
	void stopped() {
		try {
			Files.deleteIfExists(marker());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Tls.plaintext();
	}

	private Path marker() {
		return this.state.resolve("run").resolve(Tls.PROFILE);
	}

	/**
	 * @return what every application needs from its environment to start with mutual TLS
	 * (beside the profile, {@link #PROFILE_ARGUMENT}): the certificates' folder, and the
	 * config server's address and client certificate (read before config-repo is)
	 */
	static Map<String, String> env(Pki pki) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("KIT_PKI_DIR", pki.dir().toAbsolutePath().toString());
		env.put("KIT_CONFIG_URI", "https://127.0.0.1:" + Landscape.PORTS.get(Landscape.CONFIG_SERVER));
		// spring.cloud.config.tls.* (each application's own key store: its name)
		env.put("SPRING_CLOUD_CONFIG_TLS_ENABLED", "true");
		env.put("SPRING_CLOUD_CONFIG_TLS_KEYSTORE", "file:${KIT_PKI_DIR}/${spring.application.name}.p12");
		env.put("SPRING_CLOUD_CONFIG_TLS_KEYSTOREPASSWORD", Pki.STORE_PASSWORD);
		env.put("SPRING_CLOUD_CONFIG_TLS_KEYPASSWORD", Pki.STORE_PASSWORD);
		env.put("SPRING_CLOUD_CONFIG_TLS_TRUSTSTORE", "file:${KIT_PKI_DIR}/truststore.p12");
		env.put("SPRING_CLOUD_CONFIG_TLS_TRUSTSTOREPASSWORD", Pki.STORE_PASSWORD);
		return env;
	}

}
