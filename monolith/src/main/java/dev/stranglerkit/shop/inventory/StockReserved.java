package dev.stranglerkit.shop.inventory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;
import dev.stranglerkit.shop.payments.TriggersPayment;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * Every line of an order is held in stock for it: the order may be paid for.
 */
@DomainEvent
@Externalized("shop.events::inventory.StockReserved")
public record StockReserved(UUID eventId, Instant occurredAt, OrderId orderId,
		List<StockLine> lines) implements TriggersPayment, SagaReply, IntegrationEvent {

	public StockReserved(OrderId orderId, List<StockLine> lines) {
		this(UUID.randomUUID(), Instant.now(), orderId, lines);
	}

	public StockReserved {
		lines = List.copyOf(lines);
	}

	@Override
	public SagaStep answers() {
		return SagaStep.RESERVE_STOCK;
	}

}
