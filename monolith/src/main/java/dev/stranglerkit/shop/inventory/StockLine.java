package dev.stranglerkit.shop.inventory;

import dev.stranglerkit.shop.catalog.ProductId;

/**
 * A quantity of one product, as reserved or released for an order.
 */
public record StockLine(ProductId productId, int quantity) {
}
