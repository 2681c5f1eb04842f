package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the outbox's completed publications and the consumer's processed-message records
 * from growing without bound: every {@code kit.messaging.retention.interval} it deletes
 * the publications completed longer ago than {@code completed-publications} and the
 * records of messages processed longer ago than {@code processed-messages}. A record must
 * outlive every duplicate of its message; duplicates come from a completion that was not
 * written (the publication is resubmitted within a minute) or a redelivery, so days are
 * ample.
 * <p>
 * Metrics: {@code kit_outbox_completed_oldest_age_seconds} and
 * {@code kit_messaging_processed_oldest_age_seconds} stay below the retention plus the
 * interval while it works; {@code kit_messaging_retention_deleted_total{table}} counts
 * what it deleted.
 */
final class Retention implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private final JdbcClient jdbc;

	private final MessagingProperties.Retention properties;

	private final Counter publicationsDeleted;

	private final Counter recordsDeleted;

	private volatile ScheduledExecutorService scheduler;

	Retention(JdbcClient jdbc, MessagingProperties.Retention properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.publicationsDeleted = deleted(meters, "event_publication");
		this.recordsDeleted = deleted(meters, "kit_processed_message");
		Gauge.builder("kit.outbox.completed.oldest.age", () -> oldestAge("""
				SELECT extract(epoch FROM now() - min(completion_date)) FROM event_publication
				WHERE completion_date IS NOT NULL"""))
			.description("Age of the oldest completed event publication still kept")
			.baseUnit("seconds")
			.register(meters);
		Gauge
			.builder("kit.messaging.processed.oldest.age",
					() -> oldestAge("SELECT extract(epoch FROM now() - min(processed_at)) FROM kit_processed_message"))
			.description("Age of the oldest processed-message record still kept")
			.baseUnit("seconds")
			.register(meters);
	}

	private static Counter deleted(MeterRegistry meters, String table) {
		return Counter.builder("kit.messaging.retention.deleted")
			.description("Rows deleted because they were older than their retention")
			.tag("table", table)
			.register(meters);
	}

	private double oldestAge(String query) {
		Double age = this.jdbc.sql(query).query(Double.class).optional().orElse(null);
		return (age != null) ? age : 0;
	}

	/** Deletes what is older than its retention. */
	void deleteExpired() {
		try {
			this.publicationsDeleted.increment(this.jdbc.sql("""
					DELETE FROM event_publication
					WHERE completion_date < now() - make_interval(secs => ?)""")
				.param(seconds(this.properties.completedPublications()))
				.update());
			this.recordsDeleted.increment(this.jdbc.sql("""
					DELETE FROM kit_processed_message WHERE processed_at < now() - make_interval(secs => ?)""")
				.param(seconds(this.properties.processedMessages()))
				.update());
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete expired publications and processed-message records; will try again: {}",
					ex.toString());
		}
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

	@Override
	public void start() {
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("kit-retention").factory());
		long interval = this.properties.interval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::deleteExpired, interval, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.scheduler;
		if (running != null) {
			running.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
