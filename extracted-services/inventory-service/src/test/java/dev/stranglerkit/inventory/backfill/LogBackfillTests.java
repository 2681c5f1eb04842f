package dev.stranglerkit.inventory.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.stranglerkit.inventory.InventoryServiceApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backfill from the monolith's write-ahead log (DBLog's incremental snapshot) under
 * concurrent writes to every one of the module's tables, with the service's process
 * killed (SIGKILL) half-way through the snapshot: of two instances started at once after
 * it, one resumes it and the other waits and finds it done; the copy is reconciled equal
 * to the monolith at a consistent position while the writes go on, no write was held up
 * by a lock (each gives up after 2 s), and the replication slot is dropped at the end.
 */
class LogBackfillTests {

	static final String SOURCE = "inventory_log_backfill_source_test";

	static final String TARGET = "inventory_log_backfill_test";

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	static final long SEED = Long.getLong("kit.backfill.seed", 25);

	static final JdbcClient monolith = JdbcClient.create(new DriverManagerDataSource(SERVER + SOURCE, "postgres", ""));

	static final JdbcClient service = JdbcClient.create(new DriverManagerDataSource(SERVER + TARGET, "postgres", ""));

	static final List<Process> processes = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void aMonolithWithThousandsOfRowsAndAnEmptyService() throws SQLException {
		BackfillTests.freshDatabases(SOURCE, TARGET);
		monolith.sql("INSERT INTO inventory.stock SELECT gen_random_uuid(), 50, 0 FROM generate_series(1, 10000)")
			.update();
		monolith.sql("""
				WITH placed AS (
				  INSERT INTO inventory.reservations (order_id, status, placed_at)
				  SELECT gen_random_uuid(), 'COMMITTED', now() FROM generate_series(1, 1000) RETURNING order_id)
				INSERT INTO inventory.reservation_lines (order_id, product_id, quantity)
				SELECT order_id, '00000000-0000-0000-0000-000000000001', 1 FROM placed""").update();
		monolith
			.sql("""
					INSERT INTO inventory.adjustments (event_id, product_id, previously_available, available)
					SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000002', 25, 25 FROM generate_series(1, 1000)""")
			.update();
	}

	@AfterAll
	static void stopTheServices() {
		processes.forEach(Process::destroyForcibly);
	}

	@Test
	void resumesAfterAKillAndReconcilesEqualWhileTheMonolithWrites() throws Exception {
		Writer writer = new Writer();
		Thread writing = Thread.ofPlatform().name("monolith-writes").start(writer);
		try {
			Process first = start("first");
			await().atMost(Duration.ofSeconds(90))
				.ignoreExceptions() // (until the service made its tables)
				.until(() -> !first.isAlive() || count("stock") >= 500 || backfilled() > 0);
			first.destroyForcibly().waitFor();
			assertThat(backfilled()).as("killed before the backfill ended").isZero();
			assertThat(count("stock")).as("killed half-way through the snapshot").isBetween(500L, 9999L);
			assertThat(slots()).as("the slot left for the next start").isOne();
			long writesBefore = writer.writes.get();

			// two instances start at once: one resumes the backfill, the other waits for
			// it
			// and finds it done
			Process second = start("second");
			Process third = start("third");
			await().atMost(Duration.ofSeconds(180))
				.until(() -> !second.isAlive() || !third.isAlive() || backfilled() > 0 || !writer.failures.isEmpty());
			assertThat(writer.failures).as("writes held up by the backfill").isEmpty();
			assertThat(backfilled()).as("the backfill's record (see target/log-backfill-*.log)").isOne();
			String report = service.sql("SELECT report FROM inventory.backfill").query(String.class).single();
			assertThat(report).as(report).endsWith("equal").doesNotContain("DIFFERENT");
			assertThat(writer.writes.get()).as("the monolith wrote while the backfill ran").isGreaterThan(writesBefore);
			await().atMost(Duration.ofSeconds(20)).until(() -> slots() == 0);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Files.readString(log("second")).contains("following its events since")
						|| Files.readString(log("third")).contains("following its events since"));
			List<String> backfilledBy = new ArrayList<>();
			for (String name : List.of("second", "third")) {
				String output = Files.readString(log(name));
				if (output.contains("Backfilled the inventory (log)")) {
					assertThat(output).contains("Resuming the backfill's incremental snapshot");
					backfilledBy.add(name);
				}
			}
			assertThat(backfilledBy).as("the instances that backfilled").hasSize(1);
			for (Process process : List.of(second, third)) {
				process.destroy();
				process.waitFor();
			}
		}
		finally {
			writer.stop = true;
			writing.join(Duration.ofSeconds(10));
		}
		assertThat(writer.failures).isEmpty();
	}

	private static long count(String table) {
		return service.sql("SELECT count(*) FROM inventory." + table).query(Long.class).single();
	}

	private static long backfilled() {
		return service.sql("SELECT count(*) FROM inventory.backfill").query(Long.class).single();
	}

	private static long slots() {
		return monolith.sql("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")
			.query(Long.class)
			.single();
	}

	private static Path log(String name) {
		return Path.of("target", "log-backfill-" + name + ".log");
	}

	/** The service as a process of its own, on the tests' databases and virtual host. */
	private static Process start(String name) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
				InventoryServiceApplication.class.getName()));
		command.addAll(List.of(
				"--kit.config-import=file:../../config-repo/application.yml,file:../../config-repo/inventory-service.yml",
				"--spring.cloud.config.enabled=false", "--spring.cloud.bus.enabled=false",
				"--eureka.client.enabled=false", "--server.port=0", "--spring.datasource.url=" + SERVER + TARGET,
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--inventory.backfill.source.url=" + SERVER + SOURCE, "--inventory.backfill.source.username=postgres",
				"--inventory.backfill.source.password=", "--inventory.backfill.method=log",
				"--inventory.backfill.chunk-size=100",
				"--spring.rabbitmq.virtual-host=" + System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"),
				"--kit.messaging.exchange=inventory-tests.events",
				"--kit.messaging.consumer.queue=inventory-log-backfill-tests",
				"--kit.messaging.subscriptions.inventory-service=",
				"--kit.messaging.subscriptions.notification-service=", "--kit.messaging.subscriptions.monolith=",
				"--kit.messaging.subscriptions.inventory-log-backfill-tests=nothing.#"));
		Files.createDirectories(log(name).getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log(name).toFile())
			.start();
		processes.add(process);
		return process;
	}

	/**
	 * The monolith's inventory at work meanwhile: each transaction moves stock, places an
	 * order awaiting its decision, decides an earlier one (its awaited lines deleted, its
	 * lines written) and records an adjustment. Each statement gives up after 2 s waiting
	 * for a lock.
	 */
	static final class Writer implements Runnable {

		final AtomicLong writes = new AtomicLong();

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		volatile boolean stop;

		@Override
		public void run() {
			Random random = new Random(SEED);
			List<UUID> products = monolith.sql("SELECT product_id FROM inventory.stock").query(UUID.class).list();
			List<UUID> awaiting = new ArrayList<>();
			try (Connection connection = DriverManager.getConnection(SERVER + SOURCE, "postgres", "")) {
				connection.createStatement().execute("SET lock_timeout = '2s'");
				connection.setAutoCommit(false);
				while (!this.stop) {
					UUID product = products.get(random.nextInt(products.size()));
					UUID order = UUID.randomUUID();
					update(connection, "UPDATE inventory.stock SET available = available + 1 WHERE product_id = ?",
							product);
					update(connection,
							"INSERT INTO inventory.reservations (order_id, status, placed_at) VALUES (?, 'AWAITING', now())",
							order);
					update(connection, "INSERT INTO inventory.awaited_lines (order_id, product_id, quantity) "
							+ "VALUES (?, '00000000-0000-0000-0000-000000000003', 1)", order);
					awaiting.add(order);
					if (awaiting.size() > 3) {
						UUID decided = awaiting.remove(random.nextInt(awaiting.size()));
						update(connection, "DELETE FROM inventory.awaited_lines WHERE order_id = ?", decided);
						update(connection,
								"UPDATE inventory.reservations SET status = 'RESERVED', updated_at = now() WHERE order_id = ?",
								decided);
						update(connection, "INSERT INTO inventory.reservation_lines (order_id, product_id, quantity) "
								+ "VALUES (?, '00000000-0000-0000-0000-000000000003', 1)", decided);
					}
					update(connection,
							"INSERT INTO inventory.adjustments (event_id, product_id, previously_available, "
									+ "available) VALUES (?, '00000000-0000-0000-0000-000000000002', 25, 25)",
							UUID.randomUUID());
					connection.commit();
					this.writes.incrementAndGet();
					// (a steady load, about 50 transactions a second, not all the
					// machine)
					Thread.sleep(20);
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.failures.add(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static void update(Connection connection, String sql, UUID id) throws SQLException {
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				statement.setObject(1, id);
				statement.executeUpdate();
			}
		}

	}

}
