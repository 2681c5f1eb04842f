package dev.stranglerkit.shop.inventory;

import dev.stranglerkit.shop.catalog.ProductId;
import org.jmolecules.event.annotation.DomainEvent;

/**
 * Someone set the available stock of a product (a delivery, a stock count).
 */
@DomainEvent
public record StockAdjusted(ProductId productId, int previouslyAvailable, int available) {
}
