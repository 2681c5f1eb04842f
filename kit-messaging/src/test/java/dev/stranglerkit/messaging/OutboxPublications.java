package dev.stranglerkit.messaging;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The outbox relay's publications of events, as the tests read them from the table. */
record OutboxPublications(JdbcClient jdbc) {

	/** The ids of the outbox relay's publications of the events. */
	UUID[] ids(List<? extends IntegrationEvent> events) {
		List<String> eventIds = events.stream().map((event) -> event.eventId().toString()).toList();
		return this.jdbc.sql("SELECT id, serialized_event FROM event_publication WHERE listener_id = ?")
			.param(OutboxRelay.LISTENER_ID)
			.query((row, n) -> eventIds.stream().anyMatch(row.getString(2)::contains) ? row.getObject(1, UUID.class)
					: null)
			.list()
			.stream()
			.filter(Objects::nonNull)
			.toArray(UUID[]::new);
	}

	/** How many of the publications are not complete. */
	long incomplete(UUID[] publications) {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE id = ANY(?) AND completion_date IS NULL")
			.param(publications)
			.query(Long.class)
			.single();
	}

}
