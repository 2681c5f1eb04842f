package dev.stranglerkit.messaging;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Cleans up after a test's CDC relay: an abandoned replication slot keeps PostgreSQL's
 * write-ahead log until the disk is full. Drops the slot once its relay let go of it, its
 * publication and its stored position.
 */
final class CdcSlots {

	private CdcSlots() {
	}

	/** the tests' database, as the test application connects to it */
	static Connection connect() throws SQLException {
		String url = "jdbc:postgresql://%s:%s/%s".formatted(System.getenv().getOrDefault("SHOP_DB_HOST", "127.0.0.1"),
				System.getenv().getOrDefault("SHOP_DB_PORT", "5432"),
				System.getenv().getOrDefault("SHOP_TEST_DB_NAME", "shop_test"));
		return DriverManager.getConnection(url, System.getenv().getOrDefault("SHOP_DB_USER", "postgres"),
				System.getenv().getOrDefault("SHOP_DB_PASSWORD", ""));
	}

	static void drop(String slot) {
		try (Connection connection = connect()) {
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				try (var active = connection
					.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
					active.setString(1, slot);
					try (var rows = active.executeQuery()) {
						rows.next();
						return rows.getLong(1) == 0;
					}
				}
			});
			try (var statement = connection.prepareStatement(
					"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
				statement.setString(1, slot);
				statement.execute();
			}
			try (var statement = connection.createStatement()) {
				statement.execute("DROP PUBLICATION IF EXISTS " + slot);
			}
			try (var exists = connection.createStatement()
				.executeQuery("SELECT to_regclass('kit_cdc_offset') IS NOT NULL")) {
				exists.next();
				if (exists.getBoolean(1)) {
					try (var statement = connection.prepareStatement("DELETE FROM kit_cdc_offset WHERE store = ?")) {
						statement.setString(1, slot);
						statement.execute();
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not drop the test's replication slot " + slot, ex);
		}
	}

}
