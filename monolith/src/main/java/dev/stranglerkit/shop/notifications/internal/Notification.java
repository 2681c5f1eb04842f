package dev.stranglerkit.shop.notifications.internal;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.shop.orders.OrderId;

public record Notification(UUID id, OrderId orderId, String customerId, Kind kind, String message, Instant sentAt) {

	public enum Kind {

		ORDER_CONFIRMED, ORDER_CANCELLED

	}

}
