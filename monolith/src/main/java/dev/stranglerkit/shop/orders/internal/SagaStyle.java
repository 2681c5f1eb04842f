package dev.stranglerkit.shop.orders.internal;

/**
 * How an order's saga is run, fixed when the order is placed.
 */
public enum SagaStyle {

	/**
	 * Each module reacts to the others' events: no one holds the saga's state.
	 */
	CHOREOGRAPHY,

	/**
	 * The orders module's orchestrator holds each saga's state and commands the other
	 * modules, one step at a time ({@link OrderOrchestrator}).
	 */
	ORCHESTRATION

}
