package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The kit's messaging settings, under {@code kit.messaging}.
 *
 * @param exchange the topic exchange every event goes to
 * @param subscriptions every consumer queue of the landscape with the routing keys it is
 * bound to. Each application declares all of them (durable, with a dead-letter queue), so
 * a consumer's queue exists, and collects its messages, before that consumer first
 * starts. An event leaves its process only when some queue is subscribed to its routing
 * key; a message the broker still cannot route (a binding was removed) is returned, and
 * its publication stays incomplete until it can be delivered. An empty list switches a
 * subscription off: its queue is not declared (the tests leave the landscape's alone).
 * @param consumer this application's own queue
 * @param relay which relay takes the outbox's events to the broker: the application's own
 * ({@code outbox}: after each commit, in the process that committed) or change data
 * capture ({@code cdc}: Debezium reads them from PostgreSQL's write-ahead log)
 * @param outbox the relay from the event publication registry to the broker
 * @param cdc the relay from the write-ahead log to the broker
 * @param resubmission the job that retries incomplete event publications
 * @param retention how long completed publications and processed-message records are kept
 */
@ConfigurationProperties("kit.messaging")
public record MessagingProperties(@DefaultValue("shop.events") String exchange,
		@DefaultValue Map<String, List<String>> subscriptions, @DefaultValue Consumer consumer,
		@DefaultValue("outbox") Relay relay, @DefaultValue Outbox outbox, @DefaultValue Cdc cdc,
		@DefaultValue Resubmission resubmission, @DefaultValue Retention retention) {

	/** The two answers to the dual write (the guide's "Which relay"). */
	public enum Relay {

		/** The application sends each event after its transaction committed. */
		OUTBOX,

		/** Debezium reads the committed events from PostgreSQL's write-ahead log. */
		CDC

	}

	/**
	 * @return the dead-letter exchange, shared by every queue of the exchange
	 */
	public String deadLetterExchange() {
		return this.exchange + ".dlx";
	}

	/**
	 * @return the queue a queue's rejected messages are dead-lettered to
	 */
	public static String deadLetterQueue(String queue) {
		return queue + ".dlq";
	}

	/**
	 * @return the queue where a queue's messages that are not ready yet wait before they
	 * go back to it
	 */
	public static String waitQueue(String queue) {
		return queue + ".wait";
	}

	/**
	 * @return the queue where a queue's messages whose handler failed wait before they go
	 * back to it
	 */
	public static String retryQueue(String queue) {
		return queue + ".retry";
	}

	/**
	 * @param queue the queue this application consumes, one of the subscriptions; none
	 * means it consumes nothing
	 * @param maxAttempts how often a failing handler is tried at once, in a row, before
	 * its message is put back to wait ({@code retryDelay}): a deadlock or a lock timeout
	 * usually passes within these attempts
	 * @param backoff the pause before the first of those attempts, doubled for each
	 * further one
	 * @param concurrency how many messages are handled at once
	 * @param deferral how long a message that is not ready yet
	 * ({@link MessageNotReadyException}) waits before it is delivered again
	 * @param notReadyTimeout how long a message may keep being not ready before it is
	 * dead-lettered
	 * @param retryDelay how long a message whose handler still failed waits on its
	 * queue's retry queue before it is delivered again, while the other messages go on
	 * @param retryTimeout how long a message's handler may keep failing (a database or
	 * broker outage, a restart) before the message is dead-lettered; a message that can
	 * never succeed ({@link InvalidMessageException}, or malformed) is dead-lettered at
	 * once
	 */
	public record Consumer(@Nullable String queue, @DefaultValue("3") int maxAttempts,
			@DefaultValue("200ms") Duration backoff, @DefaultValue("2") int concurrency,
			@DefaultValue("500ms") Duration deferral, @DefaultValue("10m") Duration notReadyTimeout,
			@DefaultValue("5s") Duration retryDelay, @DefaultValue("10m") Duration retryTimeout) {
	}

	/**
	 * @param confirmTimeout how long the relay waits for the broker's confirm before it
	 * leaves the publication incomplete
	 */
	public record Outbox(@DefaultValue("10s") Duration confirmTimeout) {
	}

	/**
	 * @param slot the replication slot, and the publication, the relay reads through; one
	 * per application (its instances share it: one streams, the others wait their turn).
	 * By default {@code kit_outbox_} and the name of the application's database (each
	 * application has its own; a slot's name is unique across the server's databases)
	 * @param heartbeat how often the relay confirms its position while no event comes, so
	 * that the slot does not hold the write-ahead log of the database's other work
	 * @param retryDelay how long the relay waits before it sends again what the broker
	 * did not confirm, doubled after each further failure
	 * @param maxRetryDelay the longest it waits between two attempts
	 * @param pollInterval how long the engine waits for more changes before it hands a
	 * batch over: the relay's added latency when events come one by one (Debezium's
	 * default, 500 ms, put the median commit-to-consumer time at 300 ms at 500 events/s)
	 */
	public record Cdc(@Nullable String slot, @DefaultValue("10s") Duration heartbeat,
			@DefaultValue("500ms") Duration retryDelay, @DefaultValue("10s") Duration maxRetryDelay,
			@DefaultValue("20ms") Duration pollInterval) {

		public Cdc {
			if (slot != null && !slot.matches("[a-z0-9_]{1,63}")) {
				throw new IllegalArgumentException("kit.messaging.cdc.slot is '" + slot
						+ "': a replication slot's name has 1 to 63 lower-case letters, digits and underscores");
			}
		}

		/**
		 * @return the slot's name for the application's database: PostgreSQL allows
		 * lower-case letters, digits and underscores
		 */
		public String slotFor(String database) {
			return (this.slot != null) ? this.slot
					: "kit_outbox_" + database.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		}

	}

	/**
	 * @param interval how often failed publications are looked for; while a round finds
	 * some, the next one follows at once
	 * @param minAge how old a failed publication must be before it is resubmitted
	 * @param batchSize how many publications one round resubmits at most
	 * @param maxInFlight how many resubmitted publications may await the broker's confirm
	 * at once, across the application's instances
	 * @param backoff how long a publication waits after its first failed resubmission
	 * before the next, doubled after each further one
	 * @param maxBackoff the longest a publication waits between two resubmissions
	 */
	public record Resubmission(@DefaultValue("1s") Duration interval, @DefaultValue("5s") Duration minAge,
			@DefaultValue("200") int batchSize, @DefaultValue("1000") int maxInFlight,
			@DefaultValue("1s") Duration backoff, @DefaultValue("10s") Duration maxBackoff) {
	}

	/**
	 * @param completedPublications how long a completed event publication is kept
	 * @param processedMessages how long the record of a processed message is kept: a
	 * duplicate of the message that arrives later is applied again
	 * @param interval how often what is older is deleted
	 */
	public record Retention(@DefaultValue("1h") Duration completedPublications,
			@DefaultValue("7d") Duration processedMessages, @DefaultValue("10m") Duration interval) {
	}

}
