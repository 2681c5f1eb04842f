package dev.stranglerkit.badshop.orders.internal;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * Bad: an event hidden in an internal package, where no other module may see it.
 */
@DomainEvent
public record OrderShipped(String orderId) {
}
