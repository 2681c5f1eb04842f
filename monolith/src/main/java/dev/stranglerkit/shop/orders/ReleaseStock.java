package dev.stranglerkit.shop.orders;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * A compensating command of the orchestrated order saga to the inventory: make the stock
 * held for the order available again (its charge failed), and answer with the stock
 * released. Taking it twice changes nothing.
 *
 * @param attempt the how-manyth time the orchestrator sends it
 */
@Externalized("shop.events::orders.ReleaseStock")
public record ReleaseStock(UUID eventId, Instant occurredAt, OrderId orderId, int attempt) implements IntegrationEvent {

	public ReleaseStock(OrderId orderId, int attempt) {
		this(UUID.randomUUID(), Instant.now(), orderId, attempt);
	}

}
