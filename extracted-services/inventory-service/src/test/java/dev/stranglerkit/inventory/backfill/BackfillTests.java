package dev.stranglerkit.inventory.backfill;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill against a database made by the monolith module's own migrations (its real
 * schema and sample stock, plus reservations and adjustments of every kind), into a fresh
 * database of the service's: the copy is reconciled equal when the service starts, a
 * second run changes nothing, an interrupted run is finished by the next one, and the
 * reconciliation sees a difference when there is one.
 */
@SpringBootTest(properties = {
		"kit.config-import=file:../../config-repo/application.yml,file:../../config-repo/inventory-service.yml",
		"spring.cloud.config.enabled=false", "spring.cloud.bus.enabled=false", "eureka.client.enabled=false",
		"spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + BackfillTests.TARGET,
		"inventory.backfill.source.url=jdbc:postgresql://127.0.0.1:5432/" + BackfillTests.SOURCE,
		"spring.rabbitmq.virtual-host=${SHOP_TEST_RABBIT_VHOST:shop_test}",
		"kit.messaging.exchange=inventory-tests.events", "kit.messaging.consumer.queue=inventory-backfill-tests",
		"kit.messaging.subscriptions.inventory-service=", "kit.messaging.subscriptions.notification-service=",
		"kit.messaging.subscriptions.monolith=", "kit.messaging.subscriptions.inventory-backfill-tests=nothing.#" })
class BackfillTests {

	static final String SOURCE = "inventory_backfill_source_test";

	static final String TARGET = "inventory_backfill_test";

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	static final UUID reserved = UUID.randomUUID();

	@Autowired
	Backfill backfill;

	@Autowired
	Reconciliation reconciliation;

	@Autowired
	JdbcClient service;

	final JdbcClient monolith = JdbcClient.create(new DriverManagerDataSource(SERVER + SOURCE, "postgres", ""));

	@BeforeAll
	static void aMonolithWithDataAndAnEmptyService() throws SQLException {
		freshDatabases(SOURCE, TARGET);
		JdbcClient monolith = JdbcClient.create(new DriverManagerDataSource(SERVER + SOURCE, "postgres", ""));
		String product = "00000000-0000-0000-0000-000000000001";
		monolith.sql("UPDATE inventory.stock SET available = 90, reserved = 4 WHERE product_id = ?::uuid")
			.param(product)
			.update();
		monolith.sql(
				"INSERT INTO inventory.reservations (order_id, status) VALUES (?, 'RESERVED'), (?, 'COMMITTED'), (?, 'REJECTED'), (?, 'RELEASED')")
			.params(reserved, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID())
			.update();
		monolith.sql("INSERT INTO inventory.reservation_lines (order_id, product_id, quantity) VALUES (?, ?::uuid, 4)")
			.params(reserved, product)
			.update();
		monolith.sql("""
				INSERT INTO inventory.adjustments (event_id, product_id, previously_available, available)
				VALUES (?, ?::uuid, 100, 94)""").params(UUID.randomUUID(), product).update();
	}

	@Test
	void copiesTheModulesDataOnceAndReconcilesItThenFinishesAnInterruptedRun() {
		String report = this.service.sql("SELECT report FROM inventory.backfill").query(String.class).single();
		assertThat(report).endsWith("equal").doesNotContain("DIFFERENT");
		assertThat(count("stock")).isEqualTo(3);
		assertThat(count("reservations")).isEqualTo(4);
		assertThat(count("reservation_lines")).isEqualTo(1);
		assertThat(count("adjustments")).isEqualTo(1);
		assertThat(this.reconciliation.reconcile().equal()).isTrue();

		// an interrupted run: part of the copy lost, no record of the backfill
		this.service.sql("DELETE FROM inventory.backfill").update();
		this.service.sql("DELETE FROM inventory.reservation_lines").update();
		this.service.sql("UPDATE inventory.stock SET available = 0").update();
		assertThat(this.reconciliation.reconcile().equal()).isFalse();
		this.backfill.run();
		this.backfill.run(); // and once more: nothing changes

		Reconciliation.Report again = this.reconciliation.reconcile();
		assertThat(again.equal()).as(again.toString()).isTrue();
		assertThat(count("reservations")).isEqualTo(4);
		assertThat(count("reservation_lines")).isEqualTo(1);
	}

	@Test
	void theReconciliationNamesTheTableThatDiffers() {
		this.monolith.sql("UPDATE inventory.stock SET available = available + 1 WHERE product_id = ?::uuid")
			.param("00000000-0000-0000-0000-000000000002")
			.update();
		try {
			Reconciliation.Report report = this.reconciliation.reconcile();
			assertThat(report.equal()).isFalse();
			assertThat(report.tables()).filteredOn((table) -> !table.equal())
				.extracting(Reconciliation.Table::name)
				.containsExactly("stock");
			assertThat(report.toString()).contains("DIFFERENT");
		}
		finally {
			this.monolith.sql("UPDATE inventory.stock SET available = available - 1 WHERE product_id = ?::uuid")
				.param("00000000-0000-0000-0000-000000000002")
				.update();
		}
	}

	/**
	 * A monolith's database made by the inventory module's own migrations, and an empty
	 * one for the service.
	 */
	static void freshDatabases(String source, String target) throws SQLException {
		try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
			for (String database : new String[] { source, target }) {
				// (a slot an earlier run left keeps its database)
				connection.createStatement()
					.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
							+ database + "'");
				connection.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
				connection.createStatement().execute("CREATE DATABASE " + database);
			}
		}
		Flyway.configure()
			.dataSource(SERVER + source, "postgres", "")
			.schemas("inventory")
			.locations("filesystem:../../monolith/src/main/resources/db/migration/inventory")
			.load()
			.migrate();
	}

	private long count(String table) {
		return this.service.sql("SELECT count(*) FROM inventory." + table).query(Long.class).single();
	}

}
