package dev.stranglerkit.shop.notifications.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
public class NotificationService {

	private static final Logger log = LoggerFactory.getLogger(NotificationService.class);

	private final NotificationRepository notifications;

	NotificationService(NotificationRepository notifications) {
		this.notifications = notifications;
	}

	public List<Notification> sentFor(OrderId orderId) {
		return this.notifications.findByOrder(orderId);
	}

	@Transactional
	public void orderConfirmed(OrderConfirmed event) {
		send(event.orderId(), event.customerId(), Notification.Kind.ORDER_CONFIRMED,
				"Your order %s is confirmed; %s was charged.".formatted(event.orderId(), event.total()));
	}

	@Transactional
	public void orderCancelled(OrderCancelled event) {
		send(event.orderId(), event.customerId(), Notification.Kind.ORDER_CANCELLED,
				"Your order %s was cancelled: %s".formatted(event.orderId(), event.reason()));
	}

	private void send(OrderId orderId, String customerId, Notification.Kind kind, String message) {
		if (this.notifications
			.insertOnce(new Notification(UUID.randomUUID(), orderId, customerId, kind, message, Instant.now()))) {
			log.info("Notified {} ({}): {}", customerId, kind, message);
		}
	}

}
