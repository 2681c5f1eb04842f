package dev.stranglerkit.shop.orders.internal;

import java.util.UUID;

import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;

/**
 * An {@code inventory.StockShortage} message (see
 * {@code contracts/events/inventory.StockShortage.schema.json}). Its reason reads exactly
 * like the monolith's own shortage, so a cancelled order looks the same in every
 * deployment.
 */
record StockShortageMessage(OrderId orderId, UUID productId, int requested,
		int available) implements CancelsOrder, SagaReply {

	@Override
	public String reason() {
		return "Not enough stock of product %s: %d requested, %d available".formatted(this.productId, this.requested,
				this.available);
	}

	@Override
	public SagaStep answers() {
		return SagaStep.RESERVE_STOCK;
	}

	@Override
	public String failure() {
		return reason();
	}

}
