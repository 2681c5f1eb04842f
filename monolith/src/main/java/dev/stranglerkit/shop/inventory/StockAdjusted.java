package dev.stranglerkit.shop.inventory;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.shop.catalog.ProductId;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * Someone set the available stock of a product (a delivery, a stock count).
 */
@DomainEvent
@Externalized("shop.events::inventory.StockAdjusted")
public record StockAdjusted(UUID eventId, Instant occurredAt, ProductId productId, int previouslyAvailable,
		int available) implements IntegrationEvent {

	public StockAdjusted(ProductId productId, int previouslyAvailable, int available) {
		this(UUID.randomUUID(), Instant.now(), productId, previouslyAvailable, available);
	}

}
