package dev.stranglerkit.shop.inventory.internal;

import dev.stranglerkit.shop.catalog.ProductId;

public record Stock(ProductId productId, int available, int reserved) {
}
