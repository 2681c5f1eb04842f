package dev.stranglerkit.shop.inventory;

import java.util.List;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.payments.TriggersPayment;
import org.jmolecules.event.annotation.DomainEvent;

/**
 * Every line of an order is held in stock for it: the order may be paid for.
 */
@DomainEvent
public record StockReserved(OrderId orderId, List<StockLine> lines) implements TriggersPayment {

	public StockReserved {
		lines = List.copyOf(lines);
	}

}
