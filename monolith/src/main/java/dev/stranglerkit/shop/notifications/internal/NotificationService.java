package dev.stranglerkit.shop.notifications.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.control.Owner;
import dev.stranglerkit.ownership.Ownership;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One notification per order and outcome. The module records every one; it sends (here:
 * logs and counts {@code shop.notifications.sent}) only the ones whose order event it
 * owns ({@link Ownership}: the monolith, until a cutover hands the notifications to the
 * notification-service). A module that does not own them keeps following the order
 * events, so that a rollback finds its data current.
 */
@Service
@Transactional(readOnly = true)
public class NotificationService {

	private static final Logger log = LoggerFactory.getLogger(NotificationService.class);

	private final NotificationRepository notifications;

	private final Ownership ownership;

	private final MeterRegistry meters;

	NotificationService(NotificationRepository notifications, Ownership ownership, MeterRegistry meters) {
		this.notifications = notifications;
		this.ownership = ownership;
		this.meters = meters;
	}

	public List<Notification> sentFor(OrderId orderId) {
		return this.notifications.findByOrder(orderId);
	}

	@Transactional
	public void orderConfirmed(OrderConfirmed event) {
		send(event.orderId(), event.customerId(), Notification.Kind.ORDER_CONFIRMED,
				"Your order %s is confirmed; %s was charged.".formatted(event.orderId(), event.total()),
				event.occurredAt());
	}

	@Transactional
	public void orderCancelled(OrderCancelled event) {
		send(event.orderId(), event.customerId(), Notification.Kind.ORDER_CANCELLED,
				"Your order %s was cancelled: %s".formatted(event.orderId(), event.reason()), event.occurredAt());
	}

	private void send(OrderId orderId, String customerId, Notification.Kind kind, String message, Instant occurredAt) {
		if (this.notifications
			.insertOnce(new Notification(UUID.randomUUID(), orderId, customerId, kind, message, Instant.now()))
				&& this.ownership.ownerAt("notifications", occurredAt) == Owner.MONOLITH) {
			log.info("Notified {} ({}): {}", customerId, kind, message);
			this.meters.counter("shop.notifications.sent", "kind", kind.name()).increment();
		}
	}

}
