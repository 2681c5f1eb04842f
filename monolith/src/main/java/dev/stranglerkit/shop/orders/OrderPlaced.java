package dev.stranglerkit.shop.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order was accepted and waits for stock and payment. It carries only the last four
 * digits of the card: the full number never leaves the orders module.
 */
@DomainEvent
@Externalized("shop.events::orders.OrderPlaced")
public record OrderPlaced(UUID eventId, Instant occurredAt, OrderId orderId, String customerId, List<OrderLine> lines,
		BigDecimal total, String cardLast4) implements IntegrationEvent {

	public OrderPlaced(OrderId orderId, String customerId, List<OrderLine> lines, BigDecimal total, String cardLast4) {
		this(UUID.randomUUID(), Instant.now(), orderId, customerId, lines, total, cardLast4);
	}

	public OrderPlaced {
		lines = List.copyOf(lines);
	}

}
