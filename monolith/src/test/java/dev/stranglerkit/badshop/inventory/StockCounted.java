package dev.stranglerkit.badshop.inventory;

import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * Bad: leaves the process without an event id of its own, so a resubmission would look
 * like a new message to its consumers.
 */
@DomainEvent
@Externalized("shop.events::inventory.StockCounted")
public record StockCounted(String productId, int counted) {
}
