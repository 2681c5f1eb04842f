package dev.stranglerkit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.util.ClassUtils;

/**
 * The second answer to the dual write ({@code kit.messaging.relay: cdc}): change data
 * capture. The business transaction writes the event's publication, as with the outbox
 * relay ({@link CdcOutbox}); Debezium's embedded engine reads each committed one from
 * PostgreSQL's write-ahead log (pgoutput, through the application's replication slot and
 * a publication of the outbox's inserts for this relay), and this relay sends it through
 * the same {@link ConfirmingRabbitTransport} as the outbox relay: the same envelope and
 * message id, routing, publisher confirms and {@code mandatory}.
 * <ul>
 * <li>The engine hands over a batch; the relay sends all of it and waits for the broker.
 * What the broker did not confirm is sent again, after a pause that doubles, until it is;
 * only then are the publications completed (in one transaction) and the batch marked
 * done, so the engine advances its position ({@link CdcOffsetStore}) and the slot only
 * past what the broker holds. A crash, a kill, a broker or database outage at any point
 * only repeats messages, which the consumers apply once.</li>
 * <li>The log is read in commit order, and the relay keeps it: a message the broker does
 * not take, or confirms but cannot route (no queue bound to its key), holds up the ones
 * after it until it is taken. (The outbox relay lets the others pass and resubmits that
 * one; the guide's "Which relay" compares the two.)</li>
 * <li>The publications the other relay left incomplete (an earlier run with the outbox
 * relay) are handed over at start ({@link RelayHandover}).</li>
 * <li>A rolled-back transaction never reaches the log: nothing is sent for it.</li>
 * <li>Instances of one application share the slot: the first streams, the others retry
 * until the slot is free (one relay per application, whatever the number of
 * instances).</li>
 * </ul>
 */
final class CdcRelay implements SmartLifecycle, DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

	/** The registry's name for the publications this relay sends. */
	static final String LISTENER_ID = "dev.stranglerkit.messaging.CdcRelay";

	private static final Logger log = LoggerFactory.getLogger(CdcRelay.class);

	/**
	 * How long the relay tries to complete a publication it sent but cannot see: the
	 * outbox's staleness check fails it by then.
	 */
	static final Duration UNSEEN_TIMEOUT = Duration.ofSeconds(30);

	private final LogSource database;

	private final String table;

	private final String slot;

	private final String application;

	private final MessagingProperties.Cdc properties;

	private final JdbcClient jdbc;

	private final EventSerializer serializer;

	private final EventExternalizationConfiguration configuration;

	private final ConfirmingRabbitTransport transport;

	private final EventPublicationRepository publications;

	private final AtomicReference<@Nullable DebeziumEngine<?>> engine = new AtomicReference<>();

	private final AtomicLong sent = new AtomicLong();

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	CdcRelay(LogSource database, @Nullable String schema, String application, MessagingProperties.Cdc properties,
			JdbcClient jdbc, EventSerializer serializer, EventExternalizationConfiguration configuration,
			ConfirmingRabbitTransport transport, EventPublicationRepository publications) {
		this.database = database;
		this.table = RelayHandover.table(schema);
		this.application = application;
		this.slot = properties.slotFor(database.database());
		this.properties = properties;
		this.jdbc = jdbc;
		this.serializer = serializer;
		this.configuration = configuration;
		this.transport = transport;
		this.publications = publications;
	}

	/**
	 * The publication and the slot exist before the application takes any work (a phase
	 * ahead of the web server's): an event committed before the slot existed would never
	 * be read.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public void start() {
		boolean newSlot = preparePublicationAndSlot();
		RelayHandover.toCdc(this.jdbc, this.table, newSlot);
		this.running = true;
		this.thread = Thread.ofPlatform().name("kit-cdc-relay").start(this::run);
	}

	@Override
	public void stop() {
		this.running = false;
		DebeziumEngine<?> current = this.engine.get();
		try {
			if (current != null) {
				current.close();
			}
		}
		catch (Exception ex) {
			// (an engine still starting refuses to close: the interrupt below stops it)
			log.warn("The CDC relay did not stop cleanly; it resumes from its last confirmed position: {}",
					ex.toString());
		}
		finally {
			Thread thread = this.thread;
			if (thread != null) {
				thread.interrupt();
				try {
					thread.join(Duration.ofSeconds(30));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @return how many messages the broker confirmed so far (for the tests)
	 */
	long sent() {
		return this.sent.get();
	}

	/**
	 * @return the replication slot, and the publication's name
	 */
	String slot() {
		return this.slot;
	}

	/**
	 * A publication of the outbox's inserts for this relay only (PostgreSQL decodes the
	 * rest of the database's log and drops it), and the logical replication slot. Two
	 * instances that start at once may both try: the second finds them made.
	 * @return whether the slot is new
	 */
	private boolean preparePublicationAndSlot() {
		if (!published()) {
			try {
				this.jdbc
					.sql("CREATE PUBLICATION %s FOR TABLE %s WHERE (listener_id = '%s') WITH (publish = 'insert')"
						.formatted(this.slot, this.table, LISTENER_ID))
					.update();
			}
			catch (DataAccessException ex) {
				if (!published()) {
					throw ex;
				}
			}
		}
		String slotDatabase = this.jdbc.sql("SELECT database FROM pg_replication_slots WHERE slot_name = ?")
			.param(this.slot)
			.query(String.class)
			.optional()
			.orElse(null);
		if (slotDatabase != null && !slotDatabase.equals(this.database.database())) {
			throw new IllegalStateException(("the replication slot %s reads the database %s, not %s: ./kit down "
					+ "--clean drops it if nothing uses it, or kit.messaging.cdc.slot names another")
				.formatted(this.slot, slotDatabase, this.database.database()));
		}
		if (slotDatabase != null) {
			return false;
		}
		// a new slot starts where the log is now: a position kept for an earlier slot of
		// that name (dropped by ./kit down --clean, say) means nothing to it
		this.jdbc.sql("DELETE FROM kit_cdc_offset WHERE store = ?").param(this.slot).update();
		try {
			this.jdbc.sql("SELECT 1 FROM pg_create_logical_replication_slot(?, 'pgoutput')")
				.param(this.slot)
				.query(Integer.class)
				.single();
		}
		catch (DataAccessException ex) {
			if (this.jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")
				.param(this.slot)
				.query(Long.class)
				.single() == 0) {
				throw ex;
			}
			return false; // another instance made it
		}
		log.info("Created the replication slot {} for the CDC relay", this.slot);
		return true;
	}

	private boolean published() {
		return this.jdbc.sql("SELECT count(*) FROM pg_publication WHERE pubname = ?")
			.param(this.slot)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Runs the engine, and runs it again after it failed, until the application stops.
	 */
	private void run() {
		Duration pause = this.properties.retryDelay();
		while (this.running) {
			AtomicReference<@Nullable String> failure = new AtomicReference<>();
			try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
				.create(ChangeEventFormat.of(Connect.class))
				.using(engineProperties())
				.using((success, message, error) -> {
					if (!success) {
						failure.set((error != null) ? error.toString() : message);
					}
				})
				.notifying(this)
				.build()) {
				this.engine.set(engine);
				if (!this.running) {
					return; // stopped while the engine was being made
				}
				engine.run();
			}
			catch (Exception ex) {
				// (closing an engine that failed says only that it stopped)
				failure.compareAndSet(null, ex.toString());
			}
			finally {
				this.engine.set(null);
			}
			if (!this.running) {
				return;
			}
			log.warn("The CDC relay stopped ({}); it starts again in {}", failure.get(), pause);
			try {
				pause = waitThenDouble(pause);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/**
	 * The kit's shared settings ({@link LogSource#engineProperties}), on the outbox's
	 * publication for this relay; only what is committed from the slot's creation on: the
	 * outbox's earlier publications are the outbox relay's.
	 */
	Properties engineProperties() {
		Properties engine = this.database.engineProperties(this.application + "-outbox", this.slot, this.slot,
				this.table, this.database);
		engine.setProperty("heartbeat.interval.ms", String.valueOf(this.properties.heartbeat().toMillis()));
		// a heartbeat writes a message to the log, which the relay reads and confirms:
		// the
		// slot follows the log while the outbox is idle and the rest of the database busy
		engine.setProperty("heartbeat.action.query",
				"SELECT pg_logical_emit_message(false, 'kit-cdc-heartbeat', now()::text)");
		engine.setProperty("poll.interval.ms", String.valueOf(this.properties.pollInterval().toMillis()));
		engine.setProperty("errors.max.retries", "-1");
		engine.setProperty("errors.retry.delay.initial.ms", String.valueOf(this.properties.retryDelay().toMillis()));
		engine.setProperty("errors.retry.delay.max.ms", String.valueOf(this.properties.maxRetryDelay().toMillis()));
		return engine;
	}

	/**
	 * Sends the batch's events, waits until the broker holds every one of them, completes
	 * their publications, and only then lets the engine advance past the batch.
	 */
	@Override
	public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
			DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
		List<Delivery> deliveries = new ArrayList<>();
		for (RecordChangeEvent<SourceRecord> record : records) {
			delivery(record.record()).ifPresent(deliveries::add);
		}
		List<UUID> confirmed = new ArrayList<>();
		send(deliveries, confirmed);
		complete(confirmed);
		for (RecordChangeEvent<SourceRecord> record : records) {
			committer.markProcessed(record);
		}
		committer.markBatchFinished();
	}

	/**
	 * @return the event an inserted publication of this relay carries (heartbeats and
	 * other listeners' publications carry none)
	 * @throws IllegalStateException for an event this instance cannot read (an event type
	 * of a newer version, during a rolling upgrade): the batch is not finished, the
	 * engine stops and starts again, and the slot may go to an instance that can read it
	 * meanwhile; nothing moves past the event
	 */
	private Optional<Delivery> delivery(SourceRecord record) {
		if (!(record.value() instanceof Struct value) || value.schema().field("after") == null) {
			return Optional.empty();
		}
		Struct row = value.getStruct("after");
		if (row == null || !LISTENER_ID.equals(row.getString("listener_id"))) {
			return Optional.empty();
		}
		UUID id = UUID.fromString(row.getString("id"));
		String type = row.getString("event_type");
		try {
			Object event = this.serializer.deserialize(row.getString("serialized_event"),
					ClassUtils.forName(type, ClassUtils.getDefaultClassLoader()));
			return Optional.of(new Delivery(id, event, this.configuration.determineTarget(event)));
		}
		catch (ClassNotFoundException | LinkageError | RuntimeException ex) {
			throw new IllegalStateException(
					"publication %s carries a %s this instance cannot read (%s): the CDC ".formatted(id, type, ex)
							+ "relay holds the log there until an instance that can read it takes over",
					ex);
		}
	}

	private void send(List<Delivery> deliveries, List<UUID> confirmed) throws InterruptedException {
		List<Delivery> pending = deliveries;
		Duration pause = this.properties.retryDelay();
		while (!pending.isEmpty()) {
			List<CompletableFuture<?>> futures = pending.stream()
				.<CompletableFuture<?>>map(
						(delivery) -> this.transport.externalize(delivery.event(), delivery.target()))
				.toList();
			List<Delivery> again = new ArrayList<>();
			for (int i = 0; i < pending.size(); i++) {
				Delivery delivery = pending.get(i);
				try {
					futures.get(i).get();
					confirmed.add(delivery.id());
					this.sent.incrementAndGet();
				}
				catch (ExecutionException ex) {
					again.add(delivery);
				}
			}
			pending = again;
			if (!pending.isEmpty()) {
				log.warn("The broker did not take {} of {} messages; the relay sends them again in {} and holds the "
						+ "log meanwhile", again.size(), deliveries.size(), pause);
				pause = waitThenDouble(pause);
			}
		}
	}

	/**
	 * Completes the confirmed publications in one transaction; tried again until the
	 * database takes it. PostgreSQL writes a transaction's commit to the log, where the
	 * relay reads it, a moment before other sessions see the transaction's rows (as long
	 * as a synchronous standby takes to answer, with one): a publication the relay cannot
	 * see yet is completed again, after a pause that doubles, until it can. One still
	 * unseen after {@link #UNSEEN_TIMEOUT} was deleted meanwhile and is left.
	 */
	private void complete(List<UUID> confirmed) throws InterruptedException {
		Instant now = Instant.now();
		long deadline = System.nanoTime() + UNSEEN_TIMEOUT.toNanos();
		Duration failed = this.properties.retryDelay();
		Duration unseen = this.properties.pollInterval();
		List<UUID> pending = confirmed;
		while (!pending.isEmpty()) {
			try {
				pending = completeNow(pending, now);
			}
			catch (RuntimeException ex) {
				log.warn("Could not complete {} publications the broker confirmed; trying again in {}: {}",
						pending.size(), failed, ex.toString());
				failed = waitThenDouble(failed);
				continue;
			}
			if (!pending.isEmpty() && System.nanoTime() - deadline >= 0) {
				log.warn(
						"The publications {} were sent but not found to complete after {}: deleted meanwhile, or "
								+ "still not visible (a synchronous standby that far behind); left incomplete",
						pending, UNSEEN_TIMEOUT);
				return;
			}
			if (!pending.isEmpty()) {
				unseen = waitThenDouble(unseen);
			}
		}
	}

	/**
	 * @return the publications not found
	 */
	private List<UUID> completeNow(List<UUID> identifiers, Instant now) {
		if (this.publications instanceof GroupCommittedPublicationStates states) {
			return states.completeNow(identifiers, now);
		}
		identifiers.forEach((id) -> this.publications.markCompleted(id, now));
		return List.of();
	}

	/**
	 * The relay's back-off, after a failed start, send or write alike.
	 * @return the next pause: twice this one, at most {@code max-retry-delay}
	 */
	private Duration waitThenDouble(Duration pause) throws InterruptedException {
		Thread.sleep(pause);
		Duration next = pause.multipliedBy(2);
		return (next.compareTo(this.properties.maxRetryDelay()) <= 0) ? next : this.properties.maxRetryDelay();
	}

	private record Delivery(UUID id, Object event, RoutingTarget target) {

	}

}
