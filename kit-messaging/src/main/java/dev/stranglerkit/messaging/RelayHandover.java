package dev.stranglerkit.messaging;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What one relay left to the other when an application switches
 * ({@code kit.messaging.relay}): the publications it had not delivered yet. Each relay
 * takes them over when it starts, so that a switch, in either direction, loses nothing.
 * <ul>
 * <li>To the CDC relay: the outbox relay's incomplete publications are written again
 * under the CDC relay's name (the insert reaches the log, which brings them to the
 * relay), and the old ones deleted, in one transaction; with a new slot, the CDC relay's
 * own incomplete ones too, which an earlier slot was to bring.</li>
 * <li>To the outbox relay: the CDC relay's incomplete publications are renamed to the
 * outbox relay's, which the resubmission then sends; and the application's replication
 * slot and publication, which nothing reads any more, are dropped (an abandoned slot
 * keeps the write-ahead log until the disk is full). A slot still in use, by an instance
 * that runs the CDC relay, stays.</li>
 * </ul>
 * Messages are sent again at most (their ids come from the events, not from the
 * publications), which the consumers apply once.
 */
final class RelayHandover {

	private static final Logger log = LoggerFactory.getLogger(RelayHandover.class);

	private RelayHandover() {
	}

	static String table(@Nullable String schema) {
		return ((schema != null && !schema.isBlank()) ? schema : "public") + ".event_publication";
	}

	/**
	 * @param newSlot whether the CDC relay's slot was just made: the relay's own
	 * undelivered publications, committed before it, are then written again too (the new
	 * slot reads the log from now on)
	 */
	static void toCdc(JdbcClient jdbc, String table, boolean newSlot) {
		int moved = jdbc
			.sql("""
					WITH moved AS (
					  DELETE FROM %1$s WHERE listener_id IN (?, ?) AND completion_date IS NULL
					  RETURNING event_type, serialized_event, publication_date)
					INSERT INTO %1$s (id, listener_id, event_type, serialized_event, publication_date, status,
					  completion_attempts)
					SELECT gen_random_uuid(), ?, event_type, serialized_event, publication_date, 'PUBLISHED', 0 FROM moved"""
				.formatted(table))
			.params(OutboxRelay.LISTENER_ID, newSlot ? CdcRelay.LISTENER_ID : OutboxRelay.LISTENER_ID,
					CdcRelay.LISTENER_ID)
			.update();
		if (moved > 0) {
			log.info("Handed {} undelivered publications over to the CDC relay", moved);
		}
	}

	static void toOutbox(JdbcClient jdbc, String table, String slot) {
		if (jdbc.sql("SELECT to_regclass(?) IS NOT NULL").param(table).query(Boolean.class).single()) {
			int moved = jdbc
				.sql("UPDATE %s SET listener_id = ? WHERE listener_id = ? AND completion_date IS NULL".formatted(table))
				.params(OutboxRelay.LISTENER_ID, CdcRelay.LISTENER_ID)
				.update();
			if (moved > 0) {
				log.info("Handed {} undelivered publications of the CDC relay over to the outbox relay", moved);
			}
		}
		try {
			int dropped = jdbc.sql("""
					SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots
					WHERE slot_name = ? AND NOT active AND database = current_database()""")
				.param(slot)
				.query(Integer.class)
				.single();
			if (dropped > 0) {
				jdbc.sql("DROP PUBLICATION IF EXISTS " + slot).update();
				log.info("Dropped the replication slot {} of an earlier run with the CDC relay", slot);
			}
		}
		catch (RuntimeException ex) {
			// (a role without REPLICATION may not drop it: ./kit doctor reports the slot)
			log.warn("Could not drop the replication slot {} of an earlier run with the CDC relay, which keeps the "
					+ "write-ahead log: {}", slot, ex.toString());
		}
	}

}
