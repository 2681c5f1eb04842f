package dev.stranglerkit.badshop.orders.internal;

import dev.stranglerkit.badshop.inventory.internal.StockLedger;

/**
 * Bad: uses another module's internal class.
 */
public class OrderPricer {

	private final StockLedger ledger = new StockLedger();

	public boolean inStock(String productId) {
		return this.ledger.available(productId) > 0;
	}

}
