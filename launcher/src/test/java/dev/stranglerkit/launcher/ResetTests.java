package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./kit reset} against the real PostgreSQL, RabbitMQ and git, on databases, a
 * virtual host and a working copy of the test's own: what a run leaves is gone, what is
 * not the run's stays.
 */
class ResetTests {

	static final Map<String, String> ENV = Map.of("SHOP_DB_NAME", "shop_reset_test", "INVENTORY_DB_NAME",
			"inventory_service_reset_test", "NOTIFICATION_DB_NAME", "notification_service_reset_test",
			"SPRING_RABBITMQ_VIRTUAL_HOST", System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));

	static final List<String> DATABASES = List.of("shop_reset_test", "inventory_service_reset_test",
			"notification_service_reset_test");

	@Test
	void leavesEmptyDatabasesNoQueuesNoRunStateAndConfigRepoAsCommitted(@TempDir Path home) throws Exception {
		// what a run leaves: data, a queue with a message, run state, handoffs in
		// config-repo
		try (Connection admin = DriverManager.getConnection(TestLandscape.jdbc("postgres"), "postgres", "")) {
			for (String database : DATABASES) {
				admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
				admin.createStatement().execute("CREATE DATABASE " + database);
				try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(database), "postgres",
						"")) {
					connection.createStatement().execute("CREATE TABLE leftover (id INT)");
				}
			}
		}
		ConnectionFactory rabbit = new ConnectionFactory();
		rabbit.setHost("127.0.0.1");
		rabbit.setVirtualHost(ENV.get("SPRING_RABBITMQ_VIRTUAL_HOST"));
		try (com.rabbitmq.client.Connection connection = rabbit.newConnection();
				Channel channel = connection.createChannel()) {
			channel.queueDeclare("inventory-service.dlq", true, false, false, null);
			channel.basicPublish("", "inventory-service.dlq", null, "an old dead letter".getBytes());
		}
		Path configRepo = home.resolve("config-repo");
		Files.createDirectories(configRepo);
		Files.writeString(configRepo.resolve("application.yml"), "kit:\n  ownership:\n    inventory: []\n");
		git(home, "init", "-q");
		git(home, "-c", "user.name=test", "-c", "user.email=test@example.org", "add", ".");
		git(home, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "committed");
		Files.writeString(configRepo.resolve("application.yml"),
				"kit:\n  ownership:\n    inventory: [\"2026-12-06T12:00:00Z=service\"]\n");
		Files.writeString(configRepo.resolve("audit.log"), "a switch\n");
		Path state = home.resolve(".kit");
		Files.createDirectories(state.resolve("run"));
		Files.writeString(state.resolve("run/relay"), "cdc\n");
		Files.createDirectories(state.resolve("logs"));
		Files.writeString(state.resolve("logs/monolith.log"), "an old log\n");
		Files.createDirectories(state.resolve("pki"));
		Files.writeString(state.resolve("pki/ca.crt"), "the CA\n");

		List<String> said = new ArrayList<>();
		Reset reset = new Reset(home, configRepo, state, ENV, said::add);
		assertThat(String.join("\n", reset.plan())).contains("shop_reset_test")
			.contains("application.yml")
			.contains("audit.log");
		reset.apply(new Launcher(state, Kit.DEFAULT_JAVA_OPTIONS, ENV, said::add, Duration.ofSeconds(30)));

		for (String database : DATABASES) {
			try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(database), "postgres", "");
					ResultSet tables = connection.createStatement()
						.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'leftover'")) {
				tables.next();
				assertThat(tables.getLong(1)).as("tables left in " + database).isZero();
			}
		}
		try (com.rabbitmq.client.Connection connection = rabbit.newConnection()) {
			assertThatThrownBy(() -> {
				try (Channel channel = connection.createChannel()) {
					channel.queueDeclarePassive("inventory-service.dlq");
				}
			}).as("the old queue").isInstanceOf(IOException.class).hasStackTraceContaining("NOT_FOUND");
		}
		assertThat(state.resolve("run")).doesNotExist();
		assertThat(state.resolve("logs")).doesNotExist();
		assertThat(state.resolve("pki/ca.crt")).hasContent("the CA");
		assertThat(configRepo.resolve("application.yml")).hasContent("kit:\n  ownership:\n    inventory: []");
		assertThat(configRepo.resolve("audit.log")).doesNotExist();
		assertThat(reset.configRepoChanges()).isEmpty();
		assertThat(said).anyMatch((line) -> line.contains("back as committed"));

		try (Connection admin = DriverManager.getConnection(TestLandscape.jdbc("postgres"), "postgres", "")) {
			for (String database : DATABASES) {
				admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
			}
		}
	}

	private static void git(Path home, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of("git", "-C", home.toString()));
		command.addAll(List.of(arguments));
		Process git = new ProcessBuilder(command).inheritIO().start();
		assertThat(git.waitFor()).as(String.join(" ", command)).isZero();
	}

}
