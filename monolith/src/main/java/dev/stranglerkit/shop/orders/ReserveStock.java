package dev.stranglerkit.shop.orders;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * A command of the orchestrated order saga to the inventory: hold every line of the order
 * or nothing, and answer with the stock reserved or a shortage. Taking it twice changes
 * nothing. (Commands are named for what they ask; events for what happened.)
 *
 * @param placedAt when the order was placed: the inventory's owner at that time decides
 * @param attempt the how-manyth time the orchestrator sends it
 */
@Externalized("shop.events::orders.ReserveStock")
public record ReserveStock(UUID eventId, Instant occurredAt, OrderId orderId, Instant placedAt, List<OrderLine> lines,
		int attempt) implements IntegrationEvent {

	public ReserveStock(OrderId orderId, Instant placedAt, List<OrderLine> lines, int attempt) {
		this(UUID.randomUUID(), Instant.now(), orderId, placedAt, lines, attempt);
	}

	public ReserveStock {
		lines = List.copyOf(lines);
	}

}
