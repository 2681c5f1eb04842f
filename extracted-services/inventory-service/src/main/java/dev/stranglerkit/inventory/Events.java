package dev.stranglerkit.inventory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * What this service publishes as the inventory's owner, through its own outbox: the
 * messages of {@code contracts/events/}, the same as the monolith's module sends.
 */
final class Events {

	private Events() {
	}

	@Externalized("shop.events::inventory.StockReserved")
	record StockReserved(UUID eventId, Instant occurredAt, UUID orderId,
			List<StockLine> lines) implements IntegrationEvent {

		StockReserved(UUID orderId, List<StockLine> lines) {
			this(UUID.randomUUID(), Instant.now(), orderId, List.copyOf(lines));
		}

	}

	@Externalized("shop.events::inventory.StockShortage")
	record StockShortage(UUID eventId, Instant occurredAt, UUID orderId, UUID productId, int requested,
			int available) implements IntegrationEvent {

		StockShortage(UUID orderId, UUID productId, int requested, int available) {
			this(UUID.randomUUID(), Instant.now(), orderId, productId, requested, available);
		}

	}

	@Externalized("shop.events::inventory.StockReleased")
	record StockReleased(UUID eventId, Instant occurredAt, UUID orderId,
			List<StockLine> lines) implements IntegrationEvent {

		StockReleased(UUID orderId, List<StockLine> lines) {
			this(UUID.randomUUID(), Instant.now(), orderId, List.copyOf(lines));
		}

	}

	@Externalized("shop.events::inventory.StockAdjusted")
	record StockAdjusted(UUID eventId, Instant occurredAt, UUID productId, int previouslyAvailable,
			int available) implements IntegrationEvent {

		StockAdjusted(UUID productId, int previouslyAvailable, int available) {
			this(UUID.randomUUID(), Instant.now(), productId, previouslyAvailable, available);
		}

	}

}
