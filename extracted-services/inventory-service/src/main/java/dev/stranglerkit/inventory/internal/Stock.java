package dev.stranglerkit.inventory.internal;

import dev.stranglerkit.inventory.ProductId;

public record Stock(ProductId productId, int available, int reserved) {
}
