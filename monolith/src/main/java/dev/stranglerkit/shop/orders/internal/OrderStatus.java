package dev.stranglerkit.shop.orders.internal;

public enum OrderStatus {

	/** Accepted; waiting for stock and payment. */
	PENDING,

	/** Stock reserved and payment taken. */
	CONFIRMED,

	/** Not fulfilled; nothing stays reserved or charged. */
	CANCELLED

}
