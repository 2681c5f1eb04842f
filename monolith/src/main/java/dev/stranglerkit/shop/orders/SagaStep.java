package dev.stranglerkit.shop.orders;

/**
 * The steps the orchestrator of an order's saga commands another module to take: reserve
 * the stock, charge the card, and, to compensate a reservation once the charge failed,
 * release the stock.
 */
public enum SagaStep {

	RESERVE_STOCK, CHARGE_PAYMENT, RELEASE_STOCK

}
