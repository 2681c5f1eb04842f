package dev.stranglerkit.shop.catalog;

import java.math.BigDecimal;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * A product's price changed. Orders already placed keep the price they were placed with.
 */
@DomainEvent
public record PriceChanged(ProductId productId, BigDecimal oldPrice, BigDecimal newPrice) {
}
