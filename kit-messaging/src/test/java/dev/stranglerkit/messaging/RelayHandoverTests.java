package dev.stranglerkit.messaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handover between the relays against the real PostgreSQL, on a table of the test's
 * own with the registry's columns: what one relay left undelivered becomes the other's,
 * and nothing delivered is sent again.
 */
class RelayHandoverTests {

	static final String TABLE = "kit_handover_test";

	Connection connection;

	JdbcClient jdbc;

	@BeforeEach
	void table() throws SQLException {
		this.connection = CdcSlots.connect();
		this.jdbc = JdbcClient.create(new SingleConnectionDataSource(this.connection, true));
		this.jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
		this.jdbc
			.sql("""
					CREATE TABLE %s (id UUID PRIMARY KEY, listener_id TEXT NOT NULL, event_type TEXT NOT NULL,
					  serialized_event TEXT NOT NULL, publication_date TIMESTAMPTZ NOT NULL,
					  completion_date TIMESTAMPTZ, status TEXT, completion_attempts INT, last_resubmission_date TIMESTAMPTZ)"""
				.formatted(TABLE))
			.update();
	}

	@AfterEach
	void dropTable() throws SQLException {
		this.jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
		this.connection.close();
	}

	@Test
	void toTheCdcRelayMovesTheOutboxRelaysUndeliveredAndWithANewSlotItsOwnToo() {
		UUID undelivered = publication(OutboxRelay.LISTENER_ID, "undelivered", false);
		UUID delivered = publication(OutboxRelay.LISTENER_ID, "delivered", true);
		UUID cdcUndelivered = publication(CdcRelay.LISTENER_ID, "cdc undelivered", false);

		RelayHandover.toCdc(this.jdbc, TABLE, false);

		assertThat(rows()).containsEntry("undelivered", CdcRelay.LISTENER_ID)
			.containsEntry("delivered", OutboxRelay.LISTENER_ID)
			.containsEntry("cdc undelivered", CdcRelay.LISTENER_ID);
		assertThat(exists(undelivered)).as("moved: written again (the insert reaches the log)").isFalse();
		assertThat(exists(delivered)).isTrue();
		assertThat(exists(cdcUndelivered)).as("the slot is not new: its own stay as they are").isTrue();

		RelayHandover.toCdc(this.jdbc, TABLE, true);

		assertThat(rows()).hasSize(3).containsEntry("cdc undelivered", CdcRelay.LISTENER_ID);
		assertThat(exists(cdcUndelivered)).as("a new slot: written again, so that it reads them").isFalse();
	}

	@Test
	void toTheOutboxRelayRenamesTheCdcRelaysUndelivered() {
		publication(CdcRelay.LISTENER_ID, "cdc undelivered", false);
		publication(CdcRelay.LISTENER_ID, "cdc delivered", true);

		RelayHandover.toOutbox(this.jdbc, TABLE, "kit_outbox_handover_test_no_such_slot");

		assertThat(rows()).containsEntry("cdc undelivered", OutboxRelay.LISTENER_ID)
			.containsEntry("cdc delivered", CdcRelay.LISTENER_ID);
	}

	private UUID publication(String listener, String name, boolean completed) {
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("""
					INSERT INTO %s (id, listener_id, event_type, serialized_event, publication_date, completion_date, status)
					VALUES (?, ?, 'a.Type', ?, now(), %s, ?)"""
				.formatted(TABLE, completed ? "now()" : "NULL"))
			.params(id, listener, "{\"name\":\"" + name + "\"}", completed ? "COMPLETED" : "PUBLISHED")
			.update();
		return id;
	}

	/** each publication's name and listener */
	private Map<String, String> rows() {
		List<Map<String, Object>> rows = this.jdbc
			.sql("SELECT serialized_event::jsonb->>'name' AS name, listener_id FROM " + TABLE)
			.query()
			.listOfRows();
		return rows.stream()
			.collect(java.util.stream.Collectors.toMap((row) -> (String) row.get("name"),
					(row) -> (String) row.get("listener_id")));
	}

	private boolean exists(UUID id) {
		return this.jdbc.sql("SELECT count(*) FROM " + TABLE + " WHERE id = ?")
			.param(id)
			.query(Long.class)
			.single() > 0;
	}

}
