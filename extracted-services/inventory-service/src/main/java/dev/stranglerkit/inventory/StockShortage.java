package dev.stranglerkit.inventory;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order asked for more of a product than was available; nothing was reserved for it.
 */
@Externalized("shop.events::inventory.StockShortage")
public record StockShortage(UUID eventId, Instant occurredAt, OrderId orderId, ProductId productId, int requested,
		int available) implements IntegrationEvent {

	public StockShortage(OrderId orderId, ProductId productId, int requested, int available) {
		this(UUID.randomUUID(), Instant.now(), orderId, productId, requested, available);
	}

}
