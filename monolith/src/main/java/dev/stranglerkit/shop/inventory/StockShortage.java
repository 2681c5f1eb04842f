package dev.stranglerkit.shop.inventory;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order asked for more of a product than was available; nothing was reserved for it.
 * (The name is the published contract's: the fact that a shortage was found.)
 */
@DomainEvent
@Externalized("shop.events::inventory.StockShortage")
public record StockShortage(UUID eventId, Instant occurredAt, OrderId orderId, ProductId productId, int requested,
		int available) implements CancelsOrder, SagaReply, IntegrationEvent {

	public StockShortage(OrderId orderId, ProductId productId, int requested, int available) {
		this(UUID.randomUUID(), Instant.now(), orderId, productId, requested, available);
	}

	@Override
	public String reason() {
		return "Not enough stock of product %s: %d requested, %d available".formatted(this.productId, this.requested,
				this.available);
	}

	@Override
	public SagaStep answers() {
		return SagaStep.RESERVE_STOCK;
	}

	@Override
	public String failure() {
		return reason();
	}

}
