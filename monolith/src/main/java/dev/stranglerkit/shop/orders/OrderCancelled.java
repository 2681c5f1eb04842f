package dev.stranglerkit.shop.orders;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order could not be fulfilled; whatever was reserved for it is to be released.
 */
@DomainEvent
@Externalized("shop.events::orders.OrderCancelled")
public record OrderCancelled(UUID eventId, Instant occurredAt, OrderId orderId, String customerId,
		String reason) implements IntegrationEvent {

	public OrderCancelled(OrderId orderId, String customerId, String reason) {
		this(UUID.randomUUID(), Instant.now(), orderId, customerId, reason);
	}

}
