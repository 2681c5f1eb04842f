package dev.stranglerkit.shop.catalog;

import java.math.BigDecimal;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * A product was added to the catalog.
 */
@DomainEvent
public record ProductAdded(ProductId productId, String name, BigDecimal price) {
}
