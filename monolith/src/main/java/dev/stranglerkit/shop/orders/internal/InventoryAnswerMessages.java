package dev.stranglerkit.shop.orders.internal;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;

/**
 * The inventory-service's answers to the orchestrator's commands, as messages (see
 * {@code contracts/events/}): the parts the orchestrator needs. (A shortage is
 * {@link StockShortageMessage}, which the choreography needs too.)
 */
final class InventoryAnswerMessages {

	private InventoryAnswerMessages() {
	}

	/** {@code inventory.StockReserved}: the reservation taken. */
	record StockReservedMessage(OrderId orderId) implements SagaReply {

		@Override
		public SagaStep answers() {
			return SagaStep.RESERVE_STOCK;
		}

	}

	/** {@code inventory.StockReleased}: the compensation done. */
	record StockReleasedMessage(OrderId orderId) implements SagaReply {

		@Override
		public SagaStep answers() {
			return SagaStep.RELEASE_STOCK;
		}

	}

}
