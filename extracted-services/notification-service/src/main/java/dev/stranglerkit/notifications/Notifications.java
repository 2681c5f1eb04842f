package dev.stranglerkit.notifications;

import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.MessageHandlers;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.ownership.Ownership;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One notification per order and outcome, from the order messages: the kit's consumer
 * applies each message once, and the unique key (order, kind) makes a second message for
 * the same outcome (a redelivery, or the monolith's and this service's handoff racing)
 * harmless. The texts are the monolith module's, word for word, so both answer the same.
 * It records every notification and sends (logs, counts {@code shop.notifications.sent})
 * only those whose order event it owns ({@link Ownership}): none until a cutover hands
 * the notifications over, so until then it is a follower of the monolith.
 */
@Configuration(proxyBeanMethods = false)
class Notifications {

	private static final Logger log = LoggerFactory.getLogger(Notifications.class);

	private final JdbcClient jdbc;

	private final Ownership ownership;

	private final MeterRegistry meters;

	Notifications(JdbcClient jdbc, Ownership ownership, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.ownership = ownership;
		this.meters = meters;
	}

	@Bean
	MessageHandlers orderOutcomes() {
		return MessageHandlers.create()
			.on("orders.OrderConfirmed", OrderMessages.OrderConfirmed.class,
					(order, envelope) -> record(order.orderId(), order.customerId(), Notification.Kind.ORDER_CONFIRMED,
							"Your order %s is confirmed; %s was charged.".formatted(order.orderId(),
									order.total().setScale(2, RoundingMode.HALF_UP)),
							envelope.occurredAt()))
			.on("orders.OrderCancelled", OrderMessages.OrderCancelled.class,
					(order, envelope) -> record(order.orderId(), order.customerId(), Notification.Kind.ORDER_CANCELLED,
							"Your order %s was cancelled: %s".formatted(order.orderId(), order.reason()),
							envelope.occurredAt()));
	}

	private void record(UUID orderId, String customerId, Notification.Kind kind, String message, Instant occurredAt) {
		boolean recorded = this.jdbc.sql("""
				INSERT INTO notifications.notifications (id, order_id, customer_id, kind, message, sent_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, kind) DO NOTHING""")
			.params(UUID.randomUUID(), orderId, customerId, kind.name(), message, Timestamp.from(Instant.now()))
			.update() == 1;
		if (recorded && this.ownership.ownerAt("notifications", occurredAt) == Owner.SERVICE) {
			log.info("Notified {} ({}): {}", customerId, kind, message);
			this.meters.counter("shop.notifications.sent", "kind", kind.name()).increment();
		}
		else if (recorded) {
			log.debug("Recorded, as a follower of the monolith, {} ({}): {}", customerId, kind, message);
		}
	}

	List<Notification> sentFor(UUID orderId) {
		return this.jdbc.sql("""
				SELECT id, customer_id, kind, message, sent_at FROM notifications.notifications
				WHERE order_id = ? ORDER BY sent_at""")
			.param(orderId)
			.query((rs, row) -> new Notification(rs.getObject("id", UUID.class), orderId, rs.getString("customer_id"),
					Notification.Kind.valueOf(rs.getString("kind")), rs.getString("message"),
					rs.getTimestamp("sent_at").toInstant()))
			.list();
	}

}
