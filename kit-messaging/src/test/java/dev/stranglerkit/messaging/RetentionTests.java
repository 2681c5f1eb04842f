package dev.stranglerkit.messaging;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completed publications and processed-message records older than their retention (1 h
 * and 7 days by default) are deleted; younger ones, and incomplete publications of any
 * age, are kept.
 */
@SpringBootTest
class RetentionTests {

	final JdbcClient jdbc;

	final Retention retention;

	final MeterRegistry meters;

	RetentionTests(JdbcClient jdbc, Retention retention, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.retention = retention;
		this.meters = meters;
	}

	@Test
	void deletesWhatIsOlderThanItsRetentionAndKeepsTheRest() {
		UUID completedLongAgo = publication("now() - interval '3 hours'", "now() - interval '2 hours'");
		UUID completedRecently = publication("now() - interval '3 hours'", "now() - interval '10 minutes'");
		UUID incompleteLongAgo = publication("now() - interval '3 hours'", "NULL");
		String processedLongAgo = processedMessage("now() - interval '8 days'");
		String processedRecently = processedMessage("now() - interval '6 days'");
		double deletedBefore = deleted("event_publication") + deleted("kit_processed_message");

		this.retention.deleteExpired();

		assertThat(publicationExists(completedLongAgo)).isFalse();
		assertThat(publicationExists(completedRecently)).isTrue();
		assertThat(publicationExists(incompleteLongAgo)).as("never deleted: it is still to be delivered").isTrue();
		assertThat(processedMessageExists(processedLongAgo)).isFalse();
		assertThat(processedMessageExists(processedRecently)).isTrue();
		assertThat(deleted("event_publication") + deleted("kit_processed_message") - deletedBefore)
			.isGreaterThanOrEqualTo(2);
		assertThat(this.meters.get("kit.messaging.processed.oldest.age").gauge().value())
			.as("no record older than 7 days is left")
			.isLessThan(7 * 24 * 3600);
		this.jdbc.sql("DELETE FROM event_publication WHERE id IN (?, ?)")
			.params(completedRecently, incompleteLongAgo)
			.update();
	}

	private UUID publication(String published, String completed) {
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("""
					INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date,
					  completion_date, status, completion_attempts)
					VALUES (?, 'retention-test', 'java.lang.String', ?, %s, %s, 'COMPLETED', 0)""".formatted(published,
					completed))
			.params(id, "\"" + id + "\"")
			.update();
		return id;
	}

	private String processedMessage(String processed) {
		String id = UUID.randomUUID().toString();
		this.jdbc.sql("""
				INSERT INTO kit_processed_message (consumer, message_id, message_type, processed_at)
				VALUES ('retention-test', ?, 'test.Thing', %s)""".formatted(processed)).param(id).update();
		return id;
	}

	private boolean publicationExists(UUID id) {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE id = ?")
			.param(id)
			.query(Long.class)
			.single() == 1;
	}

	private boolean processedMessageExists(String id) {
		return this.jdbc.sql("SELECT count(*) FROM kit_processed_message WHERE message_id = ?")
			.param(id)
			.query(Long.class)
			.single() == 1;
	}

	private double deleted(String table) {
		return this.meters.get("kit.messaging.retention.deleted").tag("table", table).counter().count();
	}

}
