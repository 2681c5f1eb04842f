package dev.stranglerkit.inventory;

/**
 * A quantity of one product, as reserved or released for an order.
 */
public record StockLine(ProductId productId, int quantity) {
}
