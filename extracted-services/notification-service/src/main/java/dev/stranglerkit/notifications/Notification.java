package dev.stranglerkit.notifications;

import java.time.Instant;
import java.util.UUID;

/** A notification sent (or, by a follower, recorded) for an order's outcome. */
record Notification(UUID id, UUID orderId, String customerId, Kind kind, String message, Instant sentAt) {

	enum Kind {

		ORDER_CONFIRMED, ORDER_CANCELLED

	}

}
