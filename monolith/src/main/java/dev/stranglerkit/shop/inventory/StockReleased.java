package dev.stranglerkit.shop.inventory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * The stock held for a cancelled order is available again.
 */
@DomainEvent
@Externalized("shop.events::inventory.StockReleased")
public record StockReleased(UUID eventId, Instant occurredAt, OrderId orderId,
		List<StockLine> lines) implements SagaReply, IntegrationEvent {

	public StockReleased(OrderId orderId, List<StockLine> lines) {
		this(UUID.randomUUID(), Instant.now(), orderId, lines);
	}

	public StockReleased {
		lines = List.copyOf(lines);
	}

	@Override
	public SagaStep answers() {
		return SagaStep.RELEASE_STOCK;
	}

}
