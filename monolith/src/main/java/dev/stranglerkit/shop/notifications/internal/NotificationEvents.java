package dev.stranglerkit.shop.notifications.internal;

import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

@Component
class NotificationEvents {

	private final NotificationService notifications;

	NotificationEvents(NotificationService notifications) {
		this.notifications = notifications;
	}

	@ApplicationModuleListener
	void on(OrderConfirmed event) {
		this.notifications.orderConfirmed(event);
	}

	@ApplicationModuleListener
	void on(OrderCancelled event) {
		this.notifications.orderCancelled(event);
	}

}
