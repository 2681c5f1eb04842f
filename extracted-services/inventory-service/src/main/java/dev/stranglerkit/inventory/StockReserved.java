package dev.stranglerkit.inventory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * Every line of an order is held in stock for it: the order may be paid for.
 */
@Externalized("shop.events::inventory.StockReserved")
public record StockReserved(UUID eventId, Instant occurredAt, OrderId orderId,
		List<StockLine> lines) implements IntegrationEvent {

	public StockReserved(OrderId orderId, List<StockLine> lines) {
		this(UUID.randomUUID(), Instant.now(), orderId, lines);
	}

	public StockReserved {
		lines = List.copyOf(lines);
	}

}
