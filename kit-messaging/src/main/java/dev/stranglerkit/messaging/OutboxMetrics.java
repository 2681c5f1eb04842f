package dev.stranglerkit.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox on the Prometheus endpoint: how many event publications are incomplete and
 * how old the oldest one is (a growing age means the relay is stuck: the broker is down,
 * or a routing key is unbound), and how many messages wait in each dead-letter queue.
 */
final class OutboxMetrics implements MeterBinder {

	private final JdbcClient jdbc;

	private final AmqpAdmin admin;

	private final MessagingProperties properties;

	OutboxMetrics(JdbcClient jdbc, AmqpAdmin admin, MessagingProperties properties) {
		this.jdbc = jdbc;
		this.admin = admin;
		this.properties = properties;
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
