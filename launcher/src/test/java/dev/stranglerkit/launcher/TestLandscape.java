package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;

import org.springframework.util.FileSystemUtils;

/**
 * A landscape for a whole-landscape test: the kit's packaged applications, started by the
 * launcher as {@code ./kit up} starts them, on a copy of config-repo (so a test's route
 * switches stay its own), with the tests' database and RabbitMQ virtual host, and logs
 * kept in a folder of its own.
 */
final class TestLandscape {

	static final Path home = Path.of(System.getProperty("kit.home", "..")).toAbsolutePath().normalize();

	final Path workspace;

	final Landscape landscape;

	final Launcher launcher;

	/** with mutual TLS: the landscape's certificates; else null */
	final Mtls mtls;

	/** every application's environment, beside the launcher's own */
	final Map<String, String> env;

	TestLandscape() {
		this(Map.of());
	}

	TestLandscape(Map<String, String> extraEnv) {
		this(extraEnv, false);
	}

	/**
	 * @param extraEnv environment for every application, beside the tests' databases and
	 * virtual host
	 * @param mtls whether it runs with mutual TLS, as {@code ./kit up --mtls} starts it
	 * (certificates of its own CA; this test's clients then speak HTTPS to it as the
	 * operator)
	 */
	TestLandscape(Map<String, String> extraEnv, boolean mtls) {
		try {
			this.workspace = Files.createTempDirectory("kit-landscape");
			FileSystemUtils.copyRecursively(home.resolve("config-repo"), this.workspace.resolve("config-repo"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		freshDatabasesAndQueues();
		// the landscape tests' own databases and RabbitMQ virtual host
		Map<String, String> env = new java.util.HashMap<>(extraEnv);
		env.putAll(Map.of("SHOP_DB_NAME", DATABASES.get(0), "NOTIFICATION_DB_NAME", DATABASES.get(1),
				"INVENTORY_DB_NAME", DATABASES.get(2), "SPRING_RABBITMQ_VIRTUAL_HOST", VHOST));
		this.env = Map.copyOf(env);
		Landscape plain = new Landscape(home, this.workspace.resolve("config-repo"));
		this.mtls = mtls ? new Mtls(this.workspace.resolve("state")) : null;
		if (this.mtls != null) {
			this.mtls.start(this.env);
		}
		this.landscape = (this.mtls != null) ? plain.withMtls(this.mtls.pki()) : plain;
		this.launcher = new Launcher(this.workspace.resolve("state"), Kit.DEFAULT_JAVA_OPTIONS, env,
				(line) -> System.out.println("[launcher] " + line), Duration.ofSeconds(240))
			// one AOT cache per application for every test landscape of the build (in
			// launcher/target, new with each mvn clean): the first landscape records it,
			// the others start with it
			.aotCacheIn(home.resolve("launcher/target/aot-cache"));
	}

	/** shop, notification-service, inventory-service */
	static final List<String> DATABASES = List.of("shop_landscape_test", "notification_service_landscape_test",
			"inventory_service_landscape_test");

	/**
	 * the landscape tests' own virtual host: their events never reach a unit test's
	 * queues
	 */
	static final String VHOST = System.getenv().getOrDefault("SHOP_LANDSCAPE_RABBIT_VHOST", "shop_landscape_test");

	/** the landscape's consumer queues (config-repo/application.yml) */
	static final List<String> QUEUES = Reset.QUEUES;

	/**
	 * Every landscape test starts from empty databases and queues: what an earlier run
	 * left (stock used up, events queued for a service) would make its outcome depend on
	 * the runs before it.
	 */
	static void freshDatabasesAndQueues() {
		try (Connection connection = DriverManager.getConnection(jdbc("postgres"), "postgres", "")) {
			dropReplicationSlots(connection);
			for (String database : DATABASES) {
				connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
				connection.createStatement().execute("CREATE DATABASE " + database);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not make the landscape tests' databases: " + ex.getMessage(), ex);
		}
		ConnectionFactory rabbit = new ConnectionFactory();
		rabbit.setHost("127.0.0.1");
		rabbit.setVirtualHost(VHOST);
		try (com.rabbitmq.client.Connection connection = rabbit.newConnection();
				Channel channel = connection.createChannel()) {
			for (String queue : QUEUES) {
				for (String suffix : Reset.QUEUE_SUFFIXES) {
					channel.queueDelete(queue + suffix);
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("could not empty the landscape's queues: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The CDC relays' slots on the landscape's databases, which nothing reads once it is
	 * down (each keeps the write-ahead log), as {@code ./kit down --clean} drops them.
	 */
	static void dropReplicationSlots(Connection connection) throws SQLException {
		try (var drop = connection.prepareStatement("""
				SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
				WHERE NOT active AND database = ANY(?)""")) {
			drop.setArray(1, connection.createArrayOf("text", DATABASES.toArray()));
			drop.execute();
		}
	}

	static String jdbc(String database) {
		return "jdbc:postgresql://127.0.0.1:5432/" + database;
	}

	Path log(String app) {
		return this.launcher.log(app);
	}

	App app(String name) {
		return this.landscape.app(name);
	}

	void up(List<List<App>> tiers) {
		this.launcher.up(tiers);
	}

	/**
	 * The whole landscape: the config server, then Eureka, then the four others side by
	 * side.
	 */
	void upEverything() {
		up(List.of(List.of(app(Landscape.CONFIG_SERVER)), List.of(app(Landscape.DISCOVERY)),
				List.of(app(Landscape.MONOLITH), app("inventory-service"), app("notification-service"),
						app(Landscape.GATEWAY))));
	}

	/** Switches a route in this landscape's config-repo, as {@code ./kit route} does. */
	void route(String route, String mode, Integer percent) {
		new Routes().switchRoute(this.landscape.configRepo(), route, mode, percent);
	}

	void down() {
		this.launcher.down();
		if (this.mtls != null) {
			this.mtls.stopped();
		}
		try (Connection connection = DriverManager.getConnection(jdbc("postgres"), "postgres", "")) {
			dropReplicationSlots(connection);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not drop the landscape's replication slots: " + ex.getMessage(), ex);
		}
		System.out.println("[launcher] logs kept in " + this.workspace.resolve("state/logs"));
	}

}
