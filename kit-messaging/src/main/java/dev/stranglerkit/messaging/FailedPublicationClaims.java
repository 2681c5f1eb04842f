package dev.stranglerkit.messaging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.modulith.events.EventPublication.Status;
import org.springframework.modulith.events.core.EventPublicationRepository.FailedCriteria;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Picks the failed publications a resubmission round sends again, and claims them in the
 * same statement, instead of Spring Modulith's oldest-first read followed by one update
 * per publication:
 * <ul>
 * <li><b>Each publication backs off on its own.</b> After its n-th attempt a publication
 * waits {@code backoff × 2^(n-1)}, at most {@code max-backoff}, before it is tried again,
 * and publications with fewer attempts go first. Modulith's oldest-first read returned
 * the same hundred publications that could never succeed (an unbound routing key) in
 * every round, and no newer failed publication was ever tried.</li>
 * <li><b>One statement claims a whole batch</b> ({@code UPDATE ... RETURNING}, rows
 * locked with {@code SKIP LOCKED}): it marks them {@code RESUBMITTED}, counts the attempt
 * and dates it, so two instances never take the same publication, and a backlog after a
 * broker outage costs one statement per batch instead of one per publication.</li>
 * <li><b>Never the CDC relay's publications</b>: the write-ahead log brings them to that
 * relay, which sends them until the broker takes them; no listener here could.</li>
 * <li><b>An outage's backlog is due as soon as the broker is back</b>
 * ({@link BrokerRecovery}), whatever each publication's back-off says.</li>
 * </ul>
 * The registry then asks to mark each claimed publication resubmitted, which it already
 * is: {@link #claimedByThisInstance(UUID)} answers that without another write.
 */
final class FailedPublicationClaims {

	private static final Logger log = LoggerFactory.getLogger(FailedPublicationClaims.class);

	private final JdbcOperations jdbc;

	private final EventSerializer serializer;

	private final ClassLoader classLoader;

	private final String claim;

	private final Duration backoff;

	private final Duration maxBackoff;

	private final BrokerRecovery broker;

	private final String countIncomplete;

	private final String incompleteIndex;

	private volatile boolean indexed;

	private final Set<UUID> claimed = ConcurrentHashMap.newKeySet();

	FailedPublicationClaims(JdbcOperations jdbc, String table, EventSerializer serializer, ClassLoader classLoader,
			Duration backoff, Duration maxBackoff, BrokerRecovery broker) {
		this.jdbc = jdbc;
		this.broker = broker;
		this.countIncomplete = "SELECT count(*) FROM %s WHERE completion_date IS NULL AND status = ?".formatted(table);
		this.incompleteIndex = """
				CREATE INDEX IF NOT EXISTS kit_event_publication_incomplete_idx ON %s (publication_date)
				WHERE completion_date IS NULL""".formatted(table);
		this.serializer = serializer;
		this.classLoader = classLoader;
		this.backoff = backoff;
		this.maxBackoff = maxBackoff;
		this.claim = """
				UPDATE %1$s SET status = 'RESUBMITTED', completion_attempts = coalesce(completion_attempts, 0) + 1,
				  last_resubmission_date = ?
				WHERE id IN (
				  SELECT id FROM %1$s
				  WHERE completion_date IS NULL AND (status = 'FAILED' OR status IS NULL)
				    AND listener_id <> '%2$s'
				    AND publication_date < ?
				    AND (last_resubmission_date IS NULL OR last_resubmission_date < ?
				      OR last_resubmission_date < CAST(? AS timestamptz) - make_interval(secs =>
				        least(? * power(2, greatest(coalesce(completion_attempts, 0) - 1, 0)), ?)))
				  ORDER BY coalesce(completion_attempts, 0), publication_date
				  LIMIT ? FOR UPDATE SKIP LOCKED)
				RETURNING id, listener_id, event_type, serialized_event, publication_date, completion_attempts,
				  last_resubmission_date""".formatted(table, CdcRelay.LISTENER_ID);
	}

	/**
	 * Claims the failed publications that are due, at most as many as the criteria allow.
	 */
	List<TargetEventPublication> claim(FailedCriteria criteria) {
		indexIncompletePublications();
		Instant now = Instant.now();
		Instant publishedBefore = Optional.ofNullable(criteria.getPublicationDateReference()).orElse(now);
		long limit = (criteria.getMaxItemsToRead() < 0) ? Long.MAX_VALUE : criteria.getMaxItemsToRead();
		List<ClaimedPublication> publications = this.jdbc.query(this.claim, this::publication, Timestamp.from(now),
				Timestamp.from(publishedBefore), Timestamp.from(this.broker.recoveredAt()), Timestamp.from(now),
				this.backoff.toMillis() / 1000.0, this.maxBackoff.toMillis() / 1000.0, limit);
		List<TargetEventPublication> loaded = publications.stream()
			.filter((publication) -> publication.eventType() != null)
			.map(TargetEventPublication.class::cast)
			.toList();
		loaded.forEach((publication) -> this.claimed.add(publication.getIdentifier()));
		return loaded;
	}

	/**
	 * @return how many incomplete publications have the status, read through the index of
	 * incomplete publications (Modulith's own count reads the whole table, completed
	 * publications included, for every resubmission round)
	 */
	int countIncomplete(Status status) {
		indexIncompletePublications();
		Integer count = this.jdbc.queryForObject(this.countIncomplete, Integer.class, status.name());
		return (count != null) ? count : 0;
	}

	/**
	 * An index of the incomplete publications, a handful beside every completed one, so
	 * that looking for due publications every second reads only them. Made on first use:
	 * Modulith creates the table after the kit's own schema.
	 */
	private void indexIncompletePublications() {
		if (this.indexed) {
			return;
		}
		try {
			this.jdbc.execute(this.incompleteIndex);
		}
		catch (RuntimeException ex) {
			// another application made it at the same moment (PostgreSQL's IF NOT EXISTS
			// races), or the table is not there yet: tried again next time
			log.debug("Could not create the index of incomplete publications: {}", ex.toString());
			return;
		}
		this.indexed = true;
	}

	/**
	 * @return whether this instance claimed the publication (and forgets the claim: the
	 * registry asks once)
	 */
	boolean claimedByThisInstance(UUID identifier) {
		return this.claimed.remove(identifier);
	}

	private ClaimedPublication publication(ResultSet row, int number) throws SQLException {
		UUID id = row.getObject("id", UUID.class);
		String serialized = row.getString("serialized_event");
		Class<?> type = eventType(id, row.getString("event_type"));
		Class<?> known = (type != null) ? type : Object.class;
		Supplier<Object> event = SingletonSupplier.of(() -> this.serializer.deserialize(serialized, known));
		Timestamp resubmitted = row.getTimestamp("last_resubmission_date");
		return new ClaimedPublication(id, PublicationTargetIdentifier.of(row.getString("listener_id")), event, type,
				row.getTimestamp("publication_date").toInstant(), row.getInt("completion_attempts"),
				(resubmitted != null) ? resubmitted.toInstant() : null);
	}

	private @Nullable Class<?> eventType(UUID id, String name) {
		try {
			return ClassUtils.forName(name, this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			log.warn("Publication {} is of event type {}, which this application does not have; it stays resubmitted "
					+ "until the staleness check fails it again", id, name);
			return null;
		}
	}

	/** A publication claimed for resubmission, its event read when first asked for. */
	private record ClaimedPublication(UUID id, PublicationTargetIdentifier target, Supplier<Object> event,
			@Nullable Class<?> eventType, Instant publicationDate, int completionAttempts,
			@Nullable Instant lastResubmissionDate) implements TargetEventPublication {

		@Override
		public UUID getIdentifier() {
			return this.id;
		}

		@Override
		public Object getEvent() {
			return this.event.get();
		}

		@Override
		public PublicationTargetIdentifier getTargetIdentifier() {
			return this.target;
		}

		@Override
		public Instant getPublicationDate() {
			return this.publicationDate;
		}

		@Override
		public Optional<Instant> getCompletionDate() {
			return Optional.empty();
		}

		@Override
		public Status getStatus() {
			return Status.RESUBMITTED;
		}

		@Override
		public @Nullable Instant getLastResubmissionDate() {
			return this.lastResubmissionDate;
		}

		@Override
		public int getCompletionAttempts() {
			return this.completionAttempts;
		}

		@Override
		public void markCompleted(Instant instant) {
			// the registry writes the completion through the repository
		}

	}

}
