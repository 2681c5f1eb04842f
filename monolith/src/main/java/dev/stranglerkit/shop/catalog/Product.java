package dev.stranglerkit.shop.catalog;

import java.math.BigDecimal;

/**
 * A product as other modules see it: what it is called and what it costs now.
 */
public record Product(ProductId id, String name, BigDecimal price) {
}
