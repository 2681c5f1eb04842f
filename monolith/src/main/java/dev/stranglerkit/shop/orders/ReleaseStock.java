package dev.stranglerkit.shop.orders;

import java.time.Instant;
import java.util.UUID;

/**
 * A compensating command of the orchestrated order saga to the inventory: make the stock
 * held for the order available again (its charge failed), and answer with the stock
 * released. Taking it twice changes nothing.
 *
 * @param attempt the how-manyth time the orchestrator sends it
 */
public record ReleaseStock(UUID commandId, Instant sentAt, OrderId orderId, int attempt) {

	public ReleaseStock(OrderId orderId, int attempt) {
		this(UUID.randomUUID(), Instant.now(), orderId, attempt);
	}

}
