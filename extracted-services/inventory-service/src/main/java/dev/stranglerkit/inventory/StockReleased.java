package dev.stranglerkit.inventory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * The stock held for a cancelled order is available again.
 */
@Externalized("shop.events::inventory.StockReleased")
public record StockReleased(UUID eventId, Instant occurredAt, OrderId orderId,
		List<StockLine> lines) implements IntegrationEvent {

	public StockReleased(OrderId orderId, List<StockLine> lines) {
		this(UUID.randomUUID(), Instant.now(), orderId, lines);
	}

	public StockReleased {
		lines = List.copyOf(lines);
	}

}
