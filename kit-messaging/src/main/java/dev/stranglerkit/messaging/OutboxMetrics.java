package dev.stranglerkit.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox on the Prometheus endpoint: how many event publications are incomplete and
 * how old the oldest one is (a growing age means the relay is stuck: the broker is down,
 * or a routing key is unbound), how many messages wait in each dead-letter queue, and,
 * with the CDC relay, how far its replication slot is behind the write-ahead log.
 */
final class OutboxMetrics implements MeterBinder {

	private final JdbcClient jdbc;

	private final AmqpAdmin admin;

	private final MessagingProperties properties;

	private final @Nullable CdcRelay cdc;

	OutboxMetrics(JdbcClient jdbc, AmqpAdmin admin, MessagingProperties properties, @Nullable CdcRelay cdc) {
		this.jdbc = jdbc;
		this.admin = admin;
		this.properties = properties;
		this.cdc = cdc;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("kit.outbox.incomplete", this::incomplete)
			.description("Event publications not yet completed (not yet confirmed by the broker, or not yet handled)")
			.register(registry);
		Gauge.builder("kit.outbox.oldest.age", this::oldestAgeSeconds)
			.description("Age of the oldest incomplete event publication")
			.baseUnit("seconds")
			.register(registry);
		this.properties.subscriptions()
			.keySet()
			.forEach((queue) -> Gauge.builder("kit.messaging.dead.letters", () -> deadLetters(queue))
				.description("Messages waiting in a dead-letter queue")
				.tag("queue", queue)
				.register(registry));
		if (this.cdc != null) {
			String slot = this.cdc.slot();
			Gauge.builder("kit.outbox.cdc.behind", () -> behind(slot))
				.description("Bytes of the write-ahead log the CDC relay has not confirmed yet (its slot keeps them)")
				.baseUnit("bytes")
				.tag("slot", slot)
				.register(registry);
		}
	}

	private double behind(String slot) {
		return this.jdbc.sql("""
				SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)
				FROM pg_replication_slots WHERE slot_name = ?""")
			.param(slot)
			.query(Double.class)
			.optional()
			.orElse(Double.NaN);
	}

	private double incomplete() {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
			.query(Long.class)
			.single();
	}

	private double oldestAgeSeconds() {
		return this.jdbc.sql("""
				SELECT coalesce(extract(epoch FROM now() - min(publication_date)), 0)
				FROM event_publication WHERE completion_date IS NULL""").query(Double.class).single();
	}

	private double deadLetters(String queue) {
		QueueInformation info = this.admin.getQueueInfo(MessagingProperties.deadLetterQueue(queue));
		return (info != null) ? info.getMessageCount() : Double.NaN;
	}

}
