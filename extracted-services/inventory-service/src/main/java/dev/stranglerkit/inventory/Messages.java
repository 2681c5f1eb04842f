package dev.stranglerkit.inventory;

import java.util.List;
import java.util.UUID;

/**
 * The payloads this service reads, as {@code contracts/events/} defines them; its own
 * types, not the monolith's (only the fields it needs).
 */
final class Messages {

	private Messages() {
	}

	/** {@code catalog.ProductAdded} */
	record ProductAdded(UUID productId) {
	}

	/** {@code orders.OrderPlaced} */
	record OrderPlaced(UUID orderId, List<StockLine> lines) {
	}

	/** {@code orders.OrderConfirmed} */
	record OrderConfirmed(UUID orderId) {
	}

	/** {@code orders.OrderCancelled} */
	record OrderCancelled(UUID orderId) {
	}

	/** {@code inventory.StockReserved}, from the monolith while it owns the inventory */
	record StockReserved(UUID orderId, List<StockLine> lines) {
	}

	/** {@code inventory.StockShortage} */
	record StockShortage(UUID orderId) {
	}

	/** {@code inventory.StockAdjusted} */
	record StockAdjusted(UUID productId, int previouslyAvailable, int available) {
	}

	/** {@code inventory.StockReleased} */
	record StockReleased(UUID orderId) {
	}

}
