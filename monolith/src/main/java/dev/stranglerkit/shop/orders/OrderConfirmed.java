package dev.stranglerkit.shop.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order's stock is reserved and its payment taken: the order is final.
 */
@DomainEvent
@Externalized("shop.events::orders.OrderConfirmed")
public record OrderConfirmed(UUID eventId, Instant occurredAt, OrderId orderId, String customerId,
		BigDecimal total) implements IntegrationEvent {

	public OrderConfirmed(OrderId orderId, String customerId, BigDecimal total) {
		this(UUID.randomUUID(), Instant.now(), orderId, customerId, total);
	}

}
