package dev.stranglerkit.launcher;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The local PostgreSQL as {@code ./kit up --mtls} configures it, on databases of this
 * test's own: each application's role gets in with its own certificate only, owns its
 * database (with what a plaintext landscape made there as {@code postgres}), and reaches
 * no other but for the inventory-service's read of the monolith's inventory schema.
 */
class DatabaseTlsTests {

	static final Map<String, String> env = Map.of("SHOP_DB_NAME", "shop_tls_test", "INVENTORY_DB_NAME",
			"inventory_service_tls_test", "NOTIFICATION_DB_NAME", "notification_service_tls_test");

	static final String SHOP = env.get("SHOP_DB_NAME");

	@TempDir
	static Path dir;

	static Pki pki;

	static DatabaseTls tls;

	@BeforeAll
	static void configureTheServer() throws SQLException {
		pki = new Pki(dir.resolve("pki"));
		Mtls.identities().forEach((identity) -> pki.ensure(identity, Duration.ofDays(1)));
		tls = new DatabaseTls(env, System.out::println);
		try (Connection admin = asPostgres("postgres")) {
			for (String database : tls.databases().values()) {
				execute(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
			}
			execute(admin, "CREATE DATABASE " + SHOP);
		}
		// what the monolith made in a plaintext landscape, as postgres
		try (Connection shop = asPostgres(SHOP)) {
			execute(shop, "CREATE SCHEMA inventory");
			execute(shop, "CREATE TABLE inventory.stock (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n INT)");
			execute(shop, "INSERT INTO inventory.stock (n) VALUES (7)");
			execute(shop, "CREATE SCHEMA orders");
			execute(shop, "CREATE TABLE orders.orders (id SERIAL PRIMARY KEY, total INT)");
		}
		tls.ensure(pki);
	}

	@Test
	void eachApplicationGetsInAsItsOwnRoleWithItsOwnCertificate() throws SQLException {
		for (Map.Entry<String, String> owned : tls.databases().entrySet()) {
			try (Connection connection = as(owned.getKey(), owned.getValue(), pki.dir())) {
				assertThat(single(connection, "SELECT current_user")).isEqualTo(owned.getKey());
				assertThat(single(connection,
						"SELECT ssl || ' ' || client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
					.startsWith("true ")
					.contains("CN=" + owned.getKey());
				assertThat(single(connection,
						"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
					.isEqualTo(owned.getKey());
			}
		}
	}

	@Test
	void noOtherWayInForTheApplicationsRoles() throws IOException {
		// plaintext, no certificate, another identity's certificate, another CA's
		Properties plaintext = new Properties();
		plaintext.setProperty("user", "monolith");
		plaintext.setProperty("sslmode", "disable");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(TestLandscape.jdbc(SHOP), plaintext))
			.withMessageContaining("pg_hba.conf rejects connection");
		Properties noCertificate = tls(pki.dir(), "monolith");
		noCertificate.remove("sslcert");
		noCertificate.remove("sslkey");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(TestLandscape.jdbc(SHOP), noCertificate))
			.withMessageContaining("requires a valid client certificate");
		Properties otherIdentity = tls(pki.dir(), "inventory-service");
		otherIdentity.setProperty("user", "monolith");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(TestLandscape.jdbc(SHOP), otherIdentity))
			.withMessageContaining("certificate authentication failed for user \"monolith\"");
		Pki theirs = new Pki(dir.resolve("theirs"));
		theirs.issue("monolith", Duration.ofDays(1));
		Path impostor = dir.resolve("impostor");
		Files.createDirectories(impostor);
		Files.copy(theirs.certificate("monolith"), impostor.resolve("monolith.crt"));
		Files.copy(theirs.privateKey("monolith"), impostor.resolve("monolith.key"));
		Files.copy(pki.caCertificate(), impostor.resolve("ca.crt"));
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> as("monolith", SHOP, impostor));
		// the operators' postgres, as before
		assertThatNoException().isThrownBy(() -> asPostgres(SHOP).close());
	}

	@Test
	void eachRoleOwnsItsDatabaseAndReachesNoOtherButTheInventoryRead() throws SQLException {
		try (Connection monolith = as("monolith", SHOP, pki.dir())) {
			assertThat(single(monolith, "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables"
					+ " WHERE schemaname IN ('inventory', 'orders')"))
				.isEqualTo("monolith");
			execute(monolith, "INSERT INTO inventory.stock (n) VALUES (8)");
			execute(monolith, "INSERT INTO orders.orders (total) VALUES (1)");
			execute(monolith, "CREATE TABLE IF NOT EXISTS inventory.reservations (id INT PRIMARY KEY)");
		}
		try (Connection inventory = as("inventory-service", SHOP, pki.dir())) {
			assertThat(single(inventory, "SELECT count(*) FROM inventory.stock")).isEqualTo("2");
			// a table the monolith made since (its next migration)
			assertThat(single(inventory, "SELECT count(*) FROM inventory.reservations")).isEqualTo("0");
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> execute(inventory, "INSERT INTO inventory.stock (n) VALUES (9)"))
				.withMessageContaining("permission denied");
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> single(inventory, "SELECT count(*) FROM orders.orders"))
				.withMessageContaining("permission denied");
		}
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> as("notification-service", SHOP, pki.dir()))
			.withMessageContaining("permission denied for database");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> as("monolith", env.get("INVENTORY_DB_NAME"), pki.dir()))
			.withMessageContaining("permission denied for database");
	}

	@Test
	void aRotatedCertificateReachesTheNextConnectionOnBothSides() throws Exception {
		Mtls.identities().forEach((identity) -> pki.issue(identity, Duration.ofDays(1)));
		tls.server(pki);
		try (Connection connection = as("monolith", SHOP, pki.dir())) {
			assertThat(single(connection, "SELECT client_serial FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
				.isEqualTo(certificate(pki.certificate("monolith")).getSerialNumber().toString());
		}
		// the server shows its new certificate
		Process client = new ProcessBuilder("openssl", "s_client", "-starttls", "postgres", "-connect",
				"127.0.0.1:5432", "-CAfile", pki.caCertificate().toString(), "-verify_return_error")
			.redirectErrorStream(true)
			.start();
		client.getOutputStream().close();
		String shown = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		client.waitFor();
		assertThat(shown).contains("Verify return code: 0 (ok)");
		String pem = shown.substring(shown.indexOf("-----BEGIN CERTIFICATE-----"),
				shown.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length());
		assertThat(certificate(pem).getSerialNumber())
			.isEqualTo(certificate(pki.certificate(DatabaseTls.IDENTITY)).getSerialNumber());
	}

	@Test
	void theKitsLinesComeFirstOnceAndReplaceAnOlderBlock() {
		String hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n";
		String once = DatabaseTls.withBlock(hba, List.of("monolith", "inventory-service"));
		assertThat(once).startsWith("# >>> strangler-kit")
			.contains("hostssl all \"monolith\",\"inventory-service\" 127.0.0.1/32 cert\n")
			.endsWith("# <<< strangler-kit\n" + hba);
		assertThat(DatabaseTls.withBlock(once, List.of("monolith", "inventory-service"))).isEqualTo(once);
		assertThat(DatabaseTls.withBlock(once, List.of("monolith"))).containsOnlyOnce("# >>> strangler-kit")
			.doesNotContain("inventory-service")
			.endsWith(hba);
	}

	private static Connection as(String role, String database, Path pkiDir) throws SQLException {
		return DriverManager.getConnection(TestLandscape.jdbc(database), tls(pkiDir, role));
	}

	/** pgjdbc's parameters as config-repo's application-mtls.yml has them */
	private static Properties tls(Path pkiDir, String identity) {
		Properties properties = new Properties();
		properties.setProperty("user", identity);
		properties.setProperty("sslmode", "verify-full");
		properties.setProperty("sslrootcert", pkiDir.resolve("ca.crt").toString());
		properties.setProperty("sslcert", pkiDir.resolve(identity + ".crt").toString());
		properties.setProperty("sslkey", pkiDir.resolve(identity + ".key").toString());
		properties.setProperty("pemKeyAlgorithm", "EC");
		return properties;
	}

	private static Connection asPostgres(String database) throws SQLException {
		return DriverManager.getConnection(TestLandscape.jdbc(database), "postgres", "");
	}

	private static String single(Connection connection, String query) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static X509Certificate certificate(Path file) throws Exception {
		try (InputStream in = new FileInputStream(file.toFile())) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	private static X509Certificate certificate(String pem) throws Exception {
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
	}

}
