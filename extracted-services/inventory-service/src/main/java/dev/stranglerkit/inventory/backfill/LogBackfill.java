package dev.stranglerkit.inventory.backfill;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.stranglerkit.messaging.LogSource;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The backfill as DBLog does it ({@code inventory.backfill.method: log}): Debezium reads
 * the monolith's inventory tables from PostgreSQL's write-ahead log, through a
 * replication slot of the service's and the publication the monolith's migration made
 * ({@code kit_inventory_backfill}), and dumps them meanwhile as an incremental snapshot
 * (read-only: watermarks from {@code pg_current_snapshot()}, nothing written to the
 * monolith's tables). Chunks of each table are interleaved with the live changes, with no
 * lock that holds up the monolith's writes; the service applies both to its copy, rows as
 * upserts and deletes, in the order Debezium hands them over.
 * <ul>
 * <li><b>Resumable.</b> The snapshot's progress is in the engine's position, kept in the
 * service's database ({@code kit_cdc_offset}) after each batch the service applied; a
 * service killed during the snapshot resumes from there with the slot it left (killed
 * after it, it takes the last chunk again). A backfill that starts over empties the copy
 * first. Applying a batch twice changes nothing.</li>
 * <li><b>Reconciled at a consistent position while writes go on.</b> Once the snapshot
 * completed, the backfill opens a repeatable-read transaction on the monolith's database
 * (once that sees every change applied so far) and applies from the log only the
 * transactions that transaction sees, holding back the others, until the log reaches the
 * position written when it began; the copy then equals what the transaction reads, and
 * the {@link Reconciliation} compares the two. The held back changes are applied after
 * it.</li>
 * <li>The slot and the position are dropped at the end: an abandoned slot keeps the log
 * until the disk is full.</li>
 * <li>One instance backfills at a time ({@link Backfill}'s lock).</li>
 * </ul>
 * The copy ({@code method: copy}) remains for a monolith database without logical
 * decoding ({@code wal_level} below {@code logical}, or a role without
 * {@code REPLICATION}), or whose transaction ids have wrapped around.
 */
final class LogBackfill implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

	private static final Logger log = LoggerFactory.getLogger(LogBackfill.class);

	/** The monolith's publication of its inventory tables (its migration makes it). */
	static final String PUBLICATION = "kit_inventory_backfill";

	private static final String NOTIFICATIONS = "kit-inventory-backfill-notifications";

	private static final String CUT_MESSAGE = "kit-inventory-backfill-cut";

	private final Backfill.Source source;

	private final JdbcClient service;

	private final TransactionTemplate transactions;

	private final Backfill.Source.Connection target;

	private final String slot;

	private final CompletableFuture<Result> done = new CompletableFuture<>();

	private final AtomicReference<@Nullable DebeziumEngine<?>> engine = new AtomicReference<>();

	private final List<Change> held = new ArrayList<>();

	/** how many transactions applied last the cut must see */
	private static final int RECENT = 10_000;

	/** the transactions applied last */
	private final ArrayDeque<Long> recent = new ArrayDeque<>();

	/** lines waiting for their reservation, by table and key */
	private final Map<String, Change> waiting = new java.util.LinkedHashMap<>();

	private volatile @Nullable Cut cut;

	private long applied;

	/**
	 * @param target the service's own database, where the engine keeps its position
	 */
	LogBackfill(Backfill.Source source, JdbcClient service, TransactionTemplate transactions,
			Backfill.Source.Connection target) {
		this.source = source;
		this.service = service;
		this.transactions = transactions;
		this.target = target;
		this.slot = slotFor(logSource(target).database());
	}

	/** the service's slot on the monolith's database, named for the service's database */
	static String slotFor(String serviceDatabase) {
		String slot = "kit_backfill_"
				+ serviceDatabase.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		return slot.substring(0, Math.min(63, slot.length()));
	}

	/**
	 * Runs the backfill to its end.
	 * @return the reconciliation at the consistent position, and its time
	 */
	Result run() {
		JdbcClient monolith = JdbcClient.create(this.source.dataSource());
		String level = monolith.sql("SHOW wal_level").query(String.class).single();
		if (!"logical".equals(level)) {
			throw new IllegalStateException(("The monolith's database has wal_level %s: the backfill reads its "
					+ "write-ahead log and needs logical (./kit sets it), or set inventory.backfill.method=copy")
				.formatted(level));
		}
		if (monolith.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")
			.param(this.slot)
			.query(Long.class)
			.single() == 0) {
			// a new slot reads the log from now on: a position kept for an earlier one
			// (its
			// slot dropped by ./kit down --clean, say) means nothing to it, and the
			// snapshot
			// starts over
			this.service.sql("DELETE FROM kit_cdc_offset WHERE store = ?").param(this.slot).update();
		}
		if (monolith.sql("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint >= 4294967296")
			.query(Boolean.class)
			.single()) {
			// (the log carries 32-bit transaction ids, the watermarks 64-bit ones:
			// Debezium's
			// read-only snapshot and the cut compare them)
			throw new IllegalStateException("The monolith's database has wrapped its transaction ids around: the "
					+ "log backfill cannot order them; set inventory.backfill.method=copy");
		}
		boolean resumed = snapshotInProgress();
		if (!resumed) {
			this.transactions.executeWithoutResult((tx) -> Backfill.empty(this.service));
		}
		log.info(resumed ? "Resuming the backfill's incremental snapshot of the monolith's inventory (slot {})"
				: "Backfilling the inventory from the monolith's write-ahead log with an incremental snapshot (slot {})",
				this.slot);
		Thread runner = Thread.ofPlatform().name("kit-backfill").start(() -> runEngine(!resumed));
		try {
			return this.done.get(this.source.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The backfill did not end within " + this.source.timeout()
					+ " (inventory.backfill.timeout); it resumes where it is at the next start");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(
					"The backfill failed; it resumes at the next start: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			close();
			joinQuietly(runner);
			Cut open = this.cut;
			if (open != null) {
				open.close();
			}
		}
	}

	/**
	 * Drops the slot and the position once the backfill is recorded (an abandoned slot
	 * keeps the monolith's log until the disk is full).
	 */
	void dropSlot() {
		JdbcClient monolith = JdbcClient.create(this.source.dataSource());
		for (int attempt = 0;; attempt++) {
			if (attempt == 50) {
				log.warn(
						"Could not drop the backfill's replication slot {}, still in use: it keeps the monolith's "
								+ "write-ahead log; the next start tries again, ./kit down --clean drops it",
						this.slot);
				return;
			}
			int left = monolith
				.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")
				.param(this.slot)
				.query(Integer.class)
				.single();
			if (left == 0 || monolith.sql("""
					SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots
					WHERE slot_name = ? AND NOT active AND database = current_database()""")
				.param(this.slot)
				.query(Integer.class)
				.single() > 0) {
				break;
			}
			try {
				Thread.sleep(100); // the engine's replication connection is still closing
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.service.sql("DELETE FROM kit_cdc_offset WHERE store = ?").param(this.slot).update();
	}

	/**
	 * After the backfill: drops its slot if an earlier start could not (its position is
	 * still kept); the monolith's database may be gone by then, which is no failure.
	 */
	void dropLeftSlot() {
		if (this.service.sql("SELECT count(*) FROM kit_cdc_offset WHERE store = ?")
			.param(this.slot)
			.query(Long.class)
			.single() == 0) {
			return;
		}
		try {
			dropSlot();
		}
		catch (RuntimeException ex) {
			log.warn("Could not drop the backfill's replication slot {}: {}", this.slot, ex.toString());
		}
	}

	private boolean snapshotInProgress() {
		// (Debezium keeps the snapshot's progress in its position, as JSON)
		return this.service.sql("""
				SELECT count(*) FROM kit_cdc_offset
				WHERE store = ? AND convert_from(value, 'UTF8') LIKE '%incremental_snapshot_collections%'""")
			.param(this.slot)
			.query(Long.class)
			.single() > 0;
	}

	private void runEngine(boolean signal) {
		try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
			.create(ChangeEventFormat.of(Connect.class))
			.using(engineProperties())
			.using((success, message, error) -> {
				if (!this.done.isDone()) {
					this.done.completeExceptionally(
							(error != null) ? error : new IllegalStateException("the engine stopped: " + message));
				}
			})
			.using(new DebeziumEngine.ConnectorCallback() {
				@Override
				public void taskStarted() {
					if (signal) {
						snapshot();
					}
				}
			})
			.notifying(this)
			.build()) {
			this.engine.set(engine);
			engine.run();
		}
		catch (Exception ex) {
			this.done.completeExceptionally(ex);
		}
	}

	private void snapshot() {
		DebeziumEngine<?> running = this.engine.get();
		if (running == null) {
			this.done.completeExceptionally(new IllegalStateException("no engine to signal"));
			return;
		}
		String collections = Backfill.TABLES.stream()
			.map((table) -> "\"inventory." + table + "\"")
			.collect(Collectors.joining(", "));
		running.getSignaler()
			.signal(new DebeziumEngine.Signal(UUID.randomUUID().toString(), "execute-snapshot",
					"{\"data-collections\": [%s], \"type\": \"incremental\"}".formatted(collections), null));
	}

	/**
	 * The kit's shared settings ({@code LogSource.engineProperties}) on the monolith's
	 * publication, its position kept in the service's database; the rows from before the
	 * slot's creation come from the incremental snapshot.
	 */
	Properties engineProperties() {
		Backfill.Source.Connection monolith = this.source.source();
		Properties engine = logSource(monolith).engineProperties("inventory-backfill", this.slot, PUBLICATION,
				Backfill.TABLES.stream().map((table) -> "inventory." + table).collect(Collectors.joining(",")),
				logSource(this.target));
		engine.setProperty("read.only", "true");
		engine.setProperty("signal.enabled.channels", "in-process");
		// (the signal that starts the snapshot is read this often: 5 s by default, the
		// whole backfill of a small shop)
		engine.setProperty("signal.poll.interval.ms", "100");
		engine.setProperty("notification.enabled.channels", "sink");
		engine.setProperty("notification.sink.topic.name", NOTIFICATIONS);
		engine.setProperty("incremental.snapshot.chunk.size", String.valueOf(this.source.chunkSize()));
		// heartbeats close a snapshot window while the monolith writes nothing
		engine.setProperty("heartbeat.interval.ms", "500");
		engine.setProperty("poll.interval.ms", "50");
		return engine;
	}

	private static LogSource logSource(Backfill.Source.Connection connection) {
		return new LogSource(connection.url(), connection.username(),
				connection.password().isEmpty() ? null : connection.password());
	}

	@Override
	public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
			DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
		List<Change> changes = new ArrayList<>();
		for (RecordChangeEvent<SourceRecord> event : records) {
			SourceRecord record = event.record();
			if (NOTIFICATIONS.equals(record.topic())) {
				apply(changes);
				notification((Struct) record.value());
			}
			else {
				Change change = Change.of(record);
				Cut open = this.cut;
				if (change != null && open != null && !this.done.isDone() && !open.sees(change.transaction())) {
					this.held.add(change);
				}
				else if (change != null) {
					changes.add(change);
				}
				if (open != null && !this.done.isDone() && position(record) >= open.written()) {
					apply(changes);
					finish(open);
				}
			}
		}
		apply(changes);
		if (!this.waiting.isEmpty() || (this.cut != null && !this.done.isDone())) {
			// the position stays before the waiting lines and the held-back changes,
			// which
			// come again after a kill
			return;
		}
		for (RecordChangeEvent<SourceRecord> event : records) {
			committer.markProcessed(event);
		}
		committer.markBatchFinished();
	}

	private void notification(Struct notification) throws InterruptedException {
		if (!"Incremental Snapshot".equals(notification.getString("aggregate_type"))) {
			return;
		}
		String type = notification.getString("type");
		Map<String, String> data = notification.getMap("additional_data");
		log.info("Backfill: {} {}", type, (data != null) ? data : Map.of());
		if ("TABLE_SCAN_COMPLETED".equals(type) && data != null
				&& !Set.of("SUCCEEDED", "EMPTY").contains(data.get("status"))) {
			this.done.completeExceptionally(new IllegalStateException(
					"the snapshot of %s ended %s".formatted(data.get("scanned_collection"), data.get("status"))));
		}
		else if ("ABORTED".equals(type)) {
			this.done.completeExceptionally(new IllegalStateException("the incremental snapshot was aborted"));
		}
		else if ("COMPLETED".equals(type) && this.cut == null) {
			this.cut = openCut();
			log.info("Backfill: snapshot complete ({} changes applied); reconciling at the monolith's {}", this.applied,
					this.cut);
		}
	}

	/**
	 * The cut, once its transaction sees every change applied so far: a transaction whose
	 * commit the log delivered may not be visible to others yet.
	 */
	private Cut openCut() throws InterruptedException {
		for (int attempt = 0;; attempt++) {
			Cut cut = Cut.open(this.source);
			if (this.recent.stream().allMatch(cut::sees) || attempt == 500) {
				Cut.mark(this.source);
				return cut;
			}
			cut.close();
			Thread.sleep(20);
		}
	}

	/** The copy equals what the cut's transaction reads: compare, then go on. */
	private void finish(Cut open) {
		Reconciliation.Report report = Reconciliation.compare(open.jdbc(), this.service);
		List<Change> later = List.copyOf(this.held);
		this.held.clear();
		apply(new ArrayList<>(later));
		this.done.complete(new Result(open.at(), report));
	}

	/**
	 * Applies the changes in one transaction. A line whose reservation the copy has not
	 * got yet waits for it: Debezium may hand over a snapshot chunk before changes of
	 * other tables that committed before the chunk was read (the copy ends equal, but a
	 * line needs its reservation first).
	 */
	private void apply(List<Change> changes) {
		if (changes.isEmpty() && this.waiting.isEmpty()) {
			return;
		}
		this.transactions.executeWithoutResult((tx) -> {
			for (Change change : changes) {
				this.waiting.remove(change.id());
				if (!change.apply(this.service)) {
					this.waiting.put(change.id(), change);
				}
				remember(change.transaction());
			}
			this.waiting.values().removeIf((change) -> change.apply(this.service));
		});
		this.applied += changes.size();
		changes.clear();
	}

	private void remember(long transaction) {
		Long last = this.recent.peekLast();
		if (transaction >= 0 && (last == null || last != transaction)) {
			this.recent.addLast(transaction);
			if (this.recent.size() > RECENT) {
				this.recent.removeFirst();
			}
		}
	}

	private static long position(SourceRecord record) {
		Object lsn = (record.sourceOffset() != null) ? record.sourceOffset().get("lsn") : null;
		return (lsn instanceof Number number) ? number.longValue() : -1;
	}

	private void close() {
		DebeziumEngine<?> running = this.engine.get();
		if (running != null) {
			try {
				running.close();
			}
			catch (Exception ex) {
				log.warn("The backfill's engine did not stop cleanly: {}", ex.toString());
			}
		}
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join(Duration.ofSeconds(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * @param at when the reconciliation's transaction began
	 * @param report the copy against what it read
	 */
	record Result(Instant at, Reconciliation.Report report) {
	}

	/**
	 * A change of one row from the log or the snapshot: an upsert of its new state, or a
	 * delete by its key.
	 */
	record Change(String table, long transaction, @Nullable Map<String, Object> row, Map<String, Object> key) {

		/** the tables whose rows belong to a reservation */
		static final Set<String> LINES = Set.of("reservation_lines", "awaited_lines");

		static @Nullable Change of(SourceRecord record) {
			if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
				return null; // a heartbeat, a message
			}
			Struct source = value.getStruct("source");
			String table = source.getString("table");
			if (!Backfill.UPSERTS.containsKey(table)) {
				return null;
			}
			Long transaction = source.getInt64("txId");
			Map<String, Object> key = columns((Struct) record.key());
			return switch (value.getString("op")) {
				case "r", "c", "u" ->
					new Change(table, (transaction != null) ? transaction : -1, columns(value.getStruct("after")), key);
				case "d" -> new Change(table, (transaction != null) ? transaction : -1, null, key);
				default -> null;
			};
		}

		/**
		 * @return whether it could be applied (a line needs its reservation)
		 */
		boolean apply(JdbcClient service) {
			if (this.row != null && LINES.contains(this.table)) {
				return service
					.sql("""
							INSERT INTO inventory.%s (order_id, product_id, quantity)
							SELECT :order_id, :product_id, :quantity
							WHERE EXISTS (SELECT 1 FROM inventory.reservations WHERE order_id = :order_id)
							ON CONFLICT (order_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity"""
						.formatted(this.table))
					.params(this.row)
					.update() > 0;
			}
			if (this.row != null) {
				service.sql(Backfill.UPSERTS.get(this.table)).params(this.row).update();
			}
			else {
				String where = this.key.keySet()
					.stream()
					.map((column) -> column + " = :" + column)
					.collect(Collectors.joining(" AND "));
				service.sql("DELETE FROM inventory.%s WHERE %s".formatted(this.table, where)).params(this.key).update();
			}
			return true;
		}

		String id() {
			return this.table + this.key;
		}

		/** Debezium's values as the driver takes them (UUIDs and times come as text) */
		private static Map<String, Object> columns(Struct struct) {
			Map<String, Object> columns = new HashMap<>();
			for (Field field : struct.schema().fields()) {
				Object value = struct.get(field);
				String name = field.schema().name();
				if (value != null && "io.debezium.data.Uuid".equals(name)) {
					value = UUID.fromString((String) value);
				}
				else if (value != null && "io.debezium.time.ZonedTimestamp".equals(name)) {
					value = OffsetDateTime.parse((String) value);
				}
				columns.put(field.name(), value);
			}
			return columns;
		}

	}

	/**
	 * The consistent position of the reconciliation: a repeatable-read transaction on the
	 * monolith's database, which transactions it sees, and the log's written position
	 * when it began (every transaction it sees wrote its commit before that; the written,
	 * not the flushed position, as a commit without synchronous_commit is visible before
	 * it is flushed).
	 */
	record Cut(Connection connection, Instant at, long xmin, long xmax, Set<Long> running, long written) {

		static Cut open(Backfill.Source source) {
			Connection connection = null;
			try {
				connection = DriverManager.getConnection(source.source().url(), source.source().username(),
						source.source().password());
				connection.setAutoCommit(false);
				connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
				connection.setReadOnly(true);
				try (Statement statement = connection.createStatement();
						ResultSet position = statement.executeQuery(
								"SELECT pg_current_snapshot()::text, pg_current_wal_insert_lsn()::text, now()")) {
					position.next();
					String[] snapshot = position.getString(1).split(":", -1);
					Set<Long> running = new HashSet<>();
					if (!snapshot[2].isEmpty()) {
						for (String xid : snapshot[2].split(",")) {
							running.add(Long.parseLong(xid));
						}
					}
					return new Cut(connection, position.getTimestamp(3).toInstant(), Long.parseLong(snapshot[0]),
							Long.parseLong(snapshot[1]), running, lsn(position.getString(2)));
				}
			}
			catch (SQLException ex) {
				if (connection != null) {
					new Cut(connection, Instant.now(), 0, 0, Set.of(), 0).close();
				}
				throw new IllegalStateException("could not open the reconciliation's transaction: " + ex, ex);
			}
		}

		/**
		 * Writes a mark in the log after the cut's position, which the engine reads even
		 * while the monolith writes nothing (in a transaction of its own: the read-only
		 * snapshot expects every change to have one).
		 */
		static void mark(Backfill.Source source) {
			JdbcClient.create(source.dataSource())
				.sql("SELECT pg_logical_emit_message(true, ?, '')::text")
				.param(CUT_MESSAGE)
				.query(String.class)
				.single();
		}

		/** whether the cut's transaction sees this transaction's changes */
		boolean sees(long transaction) {
			return transaction < this.xmin || (transaction < this.xmax && !this.running.contains(transaction));
		}

		JdbcClient jdbc() {
			return JdbcClient.create(new SingleConnectionDataSource(this.connection, true));
		}

		void close() {
			try {
				this.connection.rollback();
				this.connection.close();
			}
			catch (SQLException ex) {
				// gone already
			}
		}

		private static long lsn(String text) {
			String[] parts = text.split("/");
			return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
		}

		@Override
		public String toString() {
			return "snapshot %d:%d (%d running), log written to %d".formatted(this.xmin, this.xmax, this.running.size(),
					this.written);
		}

	}

}
