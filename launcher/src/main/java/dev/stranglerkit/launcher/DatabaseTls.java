package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The local PostgreSQL for a landscape with mutual TLS. Each application that has a
 * database connects as its own role, named as its certificate (the monolith as
 * {@code monolith}, ...), over TLS with that certificate: {@code hostssl} and
 * {@code cert} in {@code pg_hba.conf}, the only way in for these roles (a block of the
 * kit's, at the top of the file, refuses them anywhere else). The server shows its own
 * certificate of the kit's CA (identity {@value #IDENTITY}) and checks its clients'
 * against that CA. Each role owns its application's database and may connect to no other,
 * but for the inventory-service, which reads the monolith's inventory schema (its
 * backfill, its reconciliation report). Each role may read its database's write-ahead log
 * ({@code REPLICATION}: the CDC relay's slot; the inventory-service's backfill reads the
 * monolith's log). Everything else stays as it was: the operator's {@code postgres} over
 * the machine's own lines ({@code ./kit compare}, the tests), and plaintext landscapes,
 * which connect as {@code postgres}.
 * <p>
 * Applied without a restart ({@code ALTER SYSTEM}, {@code pg_reload_conf()}); the files
 * are beside {@code pg_hba.conf}, in {@code strangler-kit/}, so the server must run on
 * this machine. A new certificate (a rotation) reaches new connections: pgjdbc reads the
 * application's key at each connection it opens, the server its own at each reload.
 */
final class DatabaseTls {

	/** the server's identity, which its certificate names */
	static final String IDENTITY = "postgresql";

	/** who reads which schema of whose database (config-repo/inventory-service.yml) */
	private static final String READER = "inventory-service";

	private static final String READ_SCHEMA = "inventory";

	private final Map<String, String> env;

	private final Consumer<String> out;

	DatabaseTls(Map<String, String> env, Consumer<String> out) {
		this.env = env;
		this.out = out;
	}

	/**
	 * @return each application's database (config-repo: its datasource url, from the same
	 * environment) by its identity, which is also its role
	 */
	Map<String, String> databases() {
		return databases(this.env);
	}

	/**
	 * @return each application's database in that environment, by its identity
	 */
	static Map<String, String> databases(Map<String, String> env) {
		Map<String, String> databases = new LinkedHashMap<>();
		databases.put(Landscape.MONOLITH, env.getOrDefault("SHOP_DB_NAME", "shop"));
		databases.put("inventory-service", env.getOrDefault("INVENTORY_DB_NAME", "inventory_service"));
		databases.put("notification-service", env.getOrDefault("NOTIFICATION_DB_NAME", "notification_service"));
		return databases;
	}

	/**
	 * The server with TLS and the kit's certificates, the roles, and each application's
	 * database its own.
	 * @throws LaunchException when the server cannot be configured from here
	 */
	void ensure(Pki pki) {
		server(pki);
		try (Connection admin = admin("postgres")) {
			for (String role : databases().keySet()) {
				if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
					execute(admin, "CREATE ROLE " + quote(role) + " LOGIN");
				}
				// the CDC relay (kit.messaging.relay: cdc) reads its own database's log
				// through a replication slot; pg_hba.conf still lets the role in with its
				// certificate only, to its own database
				execute(admin, "ALTER ROLE " + quote(role) + " REPLICATION");
			}
			for (Map.Entry<String, String> owned : databases().entrySet()) {
				owns(admin, owned.getKey(), owned.getValue());
			}
			String shop = databases().get(Landscape.MONOLITH);
			execute(admin, "GRANT CONNECT ON DATABASE " + quote(shop) + " TO " + quote(READER));
			try (Connection monolith = admin(shop)) {
				String schema = quote(READ_SCHEMA);
				// before the monolith migrates it (Flyway migrates an empty schema as one
				// it made), so that the grant below can name it
				execute(monolith,
						"CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + quote(Landscape.MONOLITH));
				execute(monolith, "GRANT USAGE ON SCHEMA " + schema + " TO " + quote(READER));
				execute(monolith, "GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + quote(READER));
				execute(monolith, "ALTER DEFAULT PRIVILEGES FOR ROLE " + quote(Landscape.MONOLITH) + " IN SCHEMA "
						+ schema + " GRANT SELECT ON TABLES TO " + quote(READER));
			}
		}
		catch (SQLException ex) {
			throw new LaunchException("could not set up the applications' database roles: " + ex.getMessage());
		}
	}

	/**
	 * The server's side only: TLS with the kit's certificates, and the kit's lines in
	 * {@code pg_hba.conf} ({@code ./kit certs rotate}: the new certificate).
	 */
	void server(Pki pki) {
		try {
			Path hba;
			boolean changed;
			try (Connection admin = admin("postgres")) {
				hba = Path.of(setting(admin, "hba_file"));
				Path dir = hba.resolveSibling("strangler-kit");
				UserPrincipal owner = Files.getOwner(hba);
				changed = copy(pki.caCertificate(), dir.resolve("ca.crt"), owner)
						| copy(pki.certificate(IDENTITY), dir.resolve(IDENTITY + ".crt"), owner)
						| copy(pki.privateKey(IDENTITY), dir.resolve(IDENTITY + ".key"), owner);
				Map<String, String> settings = new LinkedHashMap<>();
				settings.put("ssl_ca_file", dir.resolve("ca.crt").toString());
				settings.put("ssl_cert_file", dir.resolve(IDENTITY + ".crt").toString());
				settings.put("ssl_key_file", dir.resolve(IDENTITY + ".key").toString());
				settings.put("ssl", "on");
				for (Map.Entry<String, String> setting : settings.entrySet()) {
					if (!setting(admin, setting.getKey()).equals(setting.getValue())) {
						execute(admin, "ALTER SYSTEM SET " + setting.getKey() + " = '" + setting.getValue() + "'");
						changed = true;
					}
				}
			}
			if (changed) {
				reload(pki.caCertificate());
			}
			String current = Files.readString(hba);
			String wanted = withBlock(current, List.copyOf(databases().keySet()));
			if (!wanted.equals(current)) {
				this.out.accept("PostgreSQL: " + String.join(", ", databases().keySet())
						+ " only over TLS with their certificates of the kit's CA (" + hba + ")");
				Files.writeString(hba, wanted);
				// a new connection, which sees the server with TLS
				try (Connection admin = admin("postgres")) {
					List<String> errors = errors(admin);
					if (!errors.isEmpty()) {
						Files.writeString(hba, current);
						throw new LaunchException("PostgreSQL refuses the kit's lines in " + hba + ": " + errors);
					}
				}
				reload(pki.caCertificate());
			}
		}
		catch (SQLException | IOException ex) {
			throw new LaunchException("could not configure PostgreSQL's TLS (--mtls needs the server on this machine,"
					+ " and this user may write its configuration): " + ex.getMessage());
		}
	}

	/** the errors the server finds in its {@code pg_hba.conf} as it is on disk */
	private static List<String> errors(Connection admin) throws SQLException {
		List<String> errors = new java.util.ArrayList<>();
		try (Statement statement = admin.createStatement();
				ResultSet rows = statement.executeQuery(
						"SELECT line_number || ': ' || error FROM pg_hba_file_rules WHERE error IS NOT NULL")) {
			while (rows.next()) {
				errors.add(rows.getString(1));
			}
		}
		return errors;
	}

	/**
	 * Has the server read its configuration again, and waits until a new connection
	 * follows it: the server's TLS (verified against the kit's CA) and its
	 * {@code pg_hba.conf}.
	 */
	private void reload(Path ca) throws SQLException {
		Timestamp before;
		try (Connection admin = admin("postgres")) {
			before = loaded(admin);
			execute(admin, "SELECT pg_reload_conf()");
		}
		Poll.await(Duration.ofSeconds(30), Duration.ofMillis(100), () -> reloadedSince(before, ca),
				() -> "PostgreSQL does not speak TLS with the kit's certificate 30 s after a reload of its"
						+ " configuration: see its log (/var/log/postgresql/)");
	}

	private boolean reloadedSince(Timestamp before, Path ca) {
		Properties tls = credentials();
		tls.setProperty("sslmode", "verify-full");
		tls.setProperty("sslrootcert", ca.toString());
		try (Connection connection = DriverManager.getConnection(url("postgres"), tls)) {
			return loaded(connection).after(before);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** when the server last read its configuration (a new connection: as it forked it) */
	private static Timestamp loaded(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT pg_conf_load_time()")) {
			rows.next();
			return rows.getTimestamp(1);
		}
	}

	/** the role owns its database, and whatever it holds: only it connects there */
	private void owns(Connection admin, String role, String database) throws SQLException {
		if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
			execute(admin, "CREATE DATABASE " + quote(database) + " OWNER " + quote(role));
		}
		execute(admin, "ALTER DATABASE " + quote(database) + " OWNER TO " + quote(role));
		execute(admin, "REVOKE CONNECT, TEMPORARY ON DATABASE " + quote(database) + " FROM PUBLIC");
		try (Connection connection = admin(database)) {
			// what a plaintext landscape made, as postgres (sequences of a column move
			// with
			// their table)
			execute(connection, """
					DO $$
					DECLARE
					  item record;
					BEGIN
					  FOR item IN SELECT nspname FROM pg_namespace
					      WHERE nspname NOT LIKE 'pg\\_%%' AND nspname <> 'information_schema'
					        AND nspowner <> '%1$s'::regrole LOOP
					    EXECUTE format('ALTER SCHEMA %%I OWNER TO %1$s', item.nspname);
					  END LOOP;
					  FOR item IN SELECT c.oid::regclass AS name,
					        CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
					          WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
					      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
					      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
					        AND n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'
					        AND c.relowner <> '%1$s'::regrole
					        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
					          AND d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
					    EXECUTE format('ALTER %%s %%s OWNER TO %1$s', item.kind, item.name);
					  END LOOP;
					END
					$$""".formatted(quote(role)));
		}
	}

	/**
	 * @return the file with the kit's block at its top (the first line that matches a
	 * connection decides), in place of any it had
	 */
	static String withBlock(String hba, List<String> roles) {
		String names = String.join(",", roles.stream().map(DatabaseTls::quote).toList());
		String block = String.join("\n", BrokerTls.BEGIN, "hostssl all " + names + " 127.0.0.1/32 cert",
				"host    all " + names + " all reject", "local   all " + names + " reject", BrokerTls.END) + "\n";
		return block + BrokerTls.withoutBlock(hba);
	}

	/** copies when the target differs; only the server's user may read the key */
	private static boolean copy(Path from, Path to, UserPrincipal owner) throws IOException {
		if (Files.isRegularFile(to) && Files.mismatch(from, to) == -1) {
			return false;
		}
		Files.createDirectories(to.getParent());
		Files.setOwner(to.getParent(), owner);
		Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
		Files.setPosixFilePermissions(to,
				PosixFilePermissions.fromString(to.toString().endsWith(".key") ? "rw-------" : "rw-r--r--"));
		Files.setOwner(to, owner);
		return true;
	}

	private Connection admin(String database) throws SQLException {
		return DriverManager.getConnection(url(database), credentials());
	}

	/** the operator's connection, as {@code ./kit} makes the databases */
	private Properties credentials() {
		return OperatorDatabase.credentials(this.env);
	}

	private String url(String database) {
		String host = this.env.getOrDefault("SHOP_DB_HOST", "127.0.0.1");
		if (!List.of("127.0.0.1", "localhost").contains(host)) {
			throw new LaunchException("--mtls configures the local PostgreSQL only, not " + host);
		}
		return "jdbc:postgresql://127.0.0.1:" + this.env.getOrDefault("SHOP_DB_PORT", "5432") + "/" + database;
	}

	private static String setting(Connection admin, String name) throws SQLException {
		try (Statement statement = admin.createStatement();
				ResultSet rows = statement.executeQuery("SELECT current_setting('" + name + "')")) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static boolean exists(Connection admin, String query, String name) throws SQLException {
		try (PreparedStatement statement = admin.prepareStatement(query)) {
			statement.setString(1, name);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next();
			}
		}
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** a name as SQL (and pg_hba.conf) quote it */
	static String quote(String name) {
		return "\"" + name.replace("\"", "\"\"") + "\"";
	}

}
