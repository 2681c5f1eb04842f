package dev.stranglerkit.shop.orders;

import java.math.BigDecimal;

import dev.stranglerkit.shop.catalog.ProductId;

/**
 * One line of an order, priced when the order was placed.
 */
public record OrderLine(ProductId productId, int quantity, BigDecimal unitPrice) {

	public BigDecimal amount() {
		return this.unitPrice.multiply(BigDecimal.valueOf(this.quantity));
	}

}
