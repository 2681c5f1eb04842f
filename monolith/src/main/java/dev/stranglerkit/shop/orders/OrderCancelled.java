package dev.stranglerkit.shop.orders;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * An order could not be fulfilled; whatever was reserved for it is to be released.
 */
@DomainEvent
public record OrderCancelled(OrderId orderId, String customerId, String reason) {
}
