package dev.stranglerkit.badshop.orders;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * Bad: an event that is not named in the past tense.
 */
@DomainEvent
public record OrderPlacement(String orderId) {
}
