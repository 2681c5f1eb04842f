package dev.stranglerkit.shop.orders.internal;

import java.util.UUID;

import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;

/**
 * An {@code inventory.StockShortage} message (see
 * {@code contracts/events/inventory.StockShortage.schema.json}). Its reason reads exactly
 * like the monolith's own shortage, so a cancelled order looks the same in every
 * deployment.
 */
record StockShortageMessage(OrderId orderId, UUID productId, int requested, int available) implements CancelsOrder {

	@Override
	public String reason() {
		return "Not enough stock of product %s: %d requested, %d available".formatted(this.productId, this.requested,
				this.available);
	}

}
