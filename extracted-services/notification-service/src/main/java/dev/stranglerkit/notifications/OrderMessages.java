package dev.stranglerkit.notifications;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The payloads this service reads, as {@code contracts/events/} defines them; its own
 * types, not the monolith's.
 */
final class OrderMessages {

	private OrderMessages() {
	}

	/** {@code orders.OrderConfirmed} */
	record OrderConfirmed(UUID orderId, String customerId, BigDecimal total) {
	}

	/** {@code orders.OrderCancelled} */
	record OrderCancelled(UUID orderId, String customerId, String reason) {
	}

}
