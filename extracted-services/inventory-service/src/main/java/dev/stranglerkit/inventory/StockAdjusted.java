package dev.stranglerkit.inventory;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * Someone set the available stock of a product (a delivery, a stock count).
 */
@Externalized("shop.events::inventory.StockAdjusted")
public record StockAdjusted(UUID eventId, Instant occurredAt, ProductId productId, int previouslyAvailable,
		int available) implements IntegrationEvent {

	public StockAdjusted(ProductId productId, int previouslyAvailable, int available) {
		this(UUID.randomUUID(), Instant.now(), productId, previouslyAvailable, available);
	}

}
