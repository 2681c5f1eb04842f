package dev.stranglerkit.inventory.backfill;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.DependsOn;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Copies the inventory module's data from the monolith's database into the service's,
 * once, before the service first follows the monolith's events. By default from the
 * monolith's write-ahead log, as an incremental snapshot interleaved with the live
 * changes ({@link LogBackfill}, {@code inventory.backfill.method: log}); where the
 * monolith's database has no logical decoding, with {@code method: copy}: one consistent
 * snapshot of the module's tables (a repeatable-read transaction), written with upserts
 * in one transaction, then a {@link Reconciliation} of the copy against that snapshot,
 * stored with the time of the snapshot.
 * <p>
 * Idempotent and resumable: until its row in {@code inventory.backfill} is written, a
 * restart runs it again and the upserts overwrite what an interrupted run wrote (the
 * service has applied no event yet, since its consumer starts after this). After it, the
 * events queued for the service since its queue was declared are applied on top: those
 * already in the snapshot change nothing (one reservation per order, one adjustment per
 * event id), the later ones bring the copy up to date.
 */
@Component
@DependsOnDatabaseInitialization
@DependsOn("kitProcessedMessageSchema") // (kit_cdc_offset, where the log backfill keeps
										// its position)
class Backfill implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(Backfill.class);

	/** the module's tables, each with the upsert that copies a row of it */
	static final Map<String, String> UPSERTS = new LinkedHashMap<>();

	static {
		UPSERTS.put("stock",
				"""
						INSERT INTO inventory.stock (product_id, available, reserved) VALUES (:product_id, :available, :reserved)
						ON CONFLICT (product_id) DO UPDATE SET available = EXCLUDED.available, reserved = EXCLUDED.reserved""");
		UPSERTS.put("reservations", """
				INSERT INTO inventory.reservations (order_id, status, created_at, updated_at, placed_at)
				VALUES (:order_id, :status, :created_at, :updated_at, :placed_at)
				ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
					placed_at = EXCLUDED.placed_at""");
		UPSERTS.put("reservation_lines",
				"""
						INSERT INTO inventory.reservation_lines (order_id, product_id, quantity) VALUES (:order_id, :product_id, :quantity)
						ON CONFLICT DO NOTHING""");
		UPSERTS.put("awaited_lines",
				"""
						INSERT INTO inventory.awaited_lines (order_id, product_id, quantity) VALUES (:order_id, :product_id, :quantity)
						ON CONFLICT DO NOTHING""");
		UPSERTS.put("adjustments", """
				INSERT INTO inventory.adjustments (event_id, product_id, previously_available, available, adjusted_at)
				VALUES (:event_id, :product_id, :previously_available, :available, :adjusted_at)
				ON CONFLICT DO NOTHING""");
	}

	static final List<String> TABLES = List.copyOf(UPSERTS.keySet());

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Source source;

	private final Source.Connection target;

	private final DataSource dataSource;

	/** the advisory lock that keeps two instances' backfills apart ("kit_bfil") */
	static final long LOCK = 0x6b69745f6266696cL;

	Backfill(JdbcClient jdbc, DataSource dataSource, Source source, @Value("${spring.datasource.url}") String url,
			@Value("${spring.datasource.username:}") String username,
			@Value("${spring.datasource.password:}") String password) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
		this.source = source;
		this.target = new Source.Connection(url, username, password);
		this.dataSource = dataSource;
	}

	/**
	 * Backfills unless done, one instance at a time: instances that start together wait
	 * for the first (an advisory lock on the service's database), then find it done.
	 */
	@Override
	public void afterPropertiesSet() {
		if (!this.source.enabled()) {
			log.info("Backfill off (inventory.backfill.enabled=false)");
			return;
		}
		try (Connection lock = this.dataSource.getConnection(); Statement statement = lock.createStatement()) {
			statement.execute("SELECT pg_advisory_lock(" + LOCK + ")");
			try {
				backfillUnlessDone();
			}
			finally {
				statement.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not take the backfill's lock: " + ex.getMessage(), ex);
		}
	}

	private void backfillUnlessDone() {
		this.jdbc.sql("SELECT snapshot_at, report FROM inventory.backfill")
			.query((rs, row) -> Map.entry(rs.getTimestamp(1).toInstant(), rs.getString(2)))
			.optional()
			.ifPresentOrElse((done) -> {
				log.info("Backfilled from the monolith's snapshot of {}; following its events since", done.getKey());
				if (this.source.method() == Method.LOG) {
					// (a slot left by a backfill that ended but could not drop it)
					logBackfill().dropLeftSlot();
				}
			}, this::run);
	}

	void run() {
		awaitSchema(JdbcClient.create(this.source.dataSource()));
		if (this.source.method() == Method.COPY) {
			copy();
			return;
		}
		long started = System.nanoTime();
		LogBackfill backfill = logBackfill();
		LogBackfill.Result result = backfill.run();
		record(result.at(), result.report(), started);
		backfill.dropSlot();
	}

	private LogBackfill logBackfill() {
		return new LogBackfill(this.source, this.jdbc, this.transactions, this.target);
	}

	/**
	 * Records the backfill as done, if its copy reconciled equal; a copy that differs is
	 * not recorded, and the next start backfills again.
	 */
	private void record(Instant at, Reconciliation.Report report, long started) {
		if (!report.equal()) {
			throw new IllegalStateException("The backfill's copy differs from the monolith's snapshot:\n" + report);
		}
		this.jdbc.sql("""
				INSERT INTO inventory.backfill (id, snapshot_at, report) VALUES (1, ?, ?)
				ON CONFLICT (id) DO UPDATE SET snapshot_at = EXCLUDED.snapshot_at, report = EXCLUDED.report""")
			.params(Timestamp.from(at), report.toString())
			.update();
		log.info("Backfilled the inventory ({}) from the monolith's snapshot of {} in {} ms:\n{}",
				this.source.method().name().toLowerCase(java.util.Locale.ROOT), at,
				(System.nanoTime() - started) / 1_000_000, report);
	}

	/**
	 * Empties the copy before a backfill starts over: what an interrupted one wrote may
	 * since have been deleted in the monolith. Nothing else wrote there (the service
	 * follows the monolith's events only once the backfill is recorded).
	 */
	static void empty(JdbcClient service) {
		for (String table : List.of("reservation_lines", "awaited_lines", "reservations", "stock", "adjustments")) {
			service.sql("DELETE FROM inventory." + table).update();
		}
	}

	private void copy() {
		long started = System.nanoTime();
		DataSource monolith = this.source.dataSource();
		TransactionTemplate snapshot = new TransactionTemplate(new JdbcTransactionManager(monolith));
		snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		snapshot.setReadOnly(true);
		JdbcClient from = JdbcClient.create(monolith);
		snapshot.executeWithoutResult((tx) -> {
			Instant at = from.sql("SELECT now()").query(Timestamp.class).single().toInstant();
			Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
			for (String table : TABLES) {
				rows.put(table, from.sql("SELECT * FROM inventory." + table).query().listOfRows());
			}
			this.transactions.executeWithoutResult((write) -> {
				empty(this.jdbc);
				UPSERTS.forEach((table, upsert) -> rows.get(table)
					.forEach((row) -> this.jdbc.sql(upsert).params(row).update()));
				record(at, Reconciliation.compare(from, this.jdbc), started);
			});
		});
	}

	/**
	 * Waits for the monolith's inventory schema, as far as the backfill needs it: a
	 * landscape starts the monolith and the service side by side, and the monolith
	 * migrates its schemas as it starts.
	 */
	private void awaitSchema(JdbcClient monolith) {
		long deadline = System.nanoTime() + this.source.schemaTimeout().toNanos();
		while (true) {
			try {
				if (monolith.sql("""
						SELECT EXISTS (SELECT 1 FROM information_schema.tables
						  WHERE table_schema = 'inventory' AND table_name = 'awaited_lines')
						AND (? OR EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ?))""")
					.params(this.source.method() == Method.COPY, LogBackfill.PUBLICATION)
					.query(Boolean.class)
					.single()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				log.info("Waiting for the monolith's database: {}", ex.getMessage());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The monolith's inventory schema (up to its V6) is not in "
						+ this.source.source().url() + " after " + this.source.schemaTimeout()
						+ ": start the monolith (it migrates its schemas), or set inventory.backfill.source.url");
			}
			log.info("Waiting for the monolith's inventory schema in {}", this.source.source().url());
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * Where the monolith's inventory lives: {@code inventory.backfill.source.*}.
	 *
	 * @param enabled whether to backfill at all (a service that starts on its own data
	 * turns it off)
	 * @param schemaTimeout how long to wait for the monolith to have migrated its
	 * inventory schema
	 * @param method from the monolith's write-ahead log, or a copy
	 * @param timeout how long the log backfill may take at most (it resumes at the next
	 * start)
	 * @param chunkSize the rows the incremental snapshot reads at once
	 */
	@ConfigurationProperties("inventory.backfill")
	record Source(@DefaultValue("true") boolean enabled, Connection source,
			@DefaultValue("2m") java.time.Duration schemaTimeout, @DefaultValue("log") Method method,
			@DefaultValue("10m") java.time.Duration timeout, @DefaultValue("1024") int chunkSize) {

		DataSource dataSource() {
			return new DriverManagerDataSource(this.source.url(), this.source.username(), this.source.password());
		}

		record Connection(String url, String username, @DefaultValue("") String password) {
		}

	}

	/** How the backfill reads the monolith's data. */
	enum Method {

		/** from the write-ahead log, as an incremental snapshot ({@link LogBackfill}) */
		LOG,

		/** one repeatable-read copy (where the database has no logical decoding) */
		COPY

	}

}
