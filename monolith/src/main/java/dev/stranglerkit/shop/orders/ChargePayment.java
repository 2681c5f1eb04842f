package dev.stranglerkit.shop.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A command of the orchestrated order saga to payments: charge the order's total to its
 * card, and answer with the payment completed or failed. One payment per order, however
 * often it is sent.
 *
 * @param attempt the how-manyth time the orchestrator sends it
 */
public record ChargePayment(UUID eventId, Instant occurredAt, OrderId orderId, BigDecimal amount, String cardLast4,
		int attempt) {

	public ChargePayment(OrderId orderId, BigDecimal amount, String cardLast4, int attempt) {
		this(UUID.randomUUID(), Instant.now(), orderId, amount, cardLast4, attempt);
	}

}
