package dev.stranglerkit.shop.orders;

import java.math.BigDecimal;
import java.util.List;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * An order was accepted and waits for stock and payment. It carries only the last four
 * digits of the card: the full number never leaves the orders module.
 */
@DomainEvent
public record OrderPlaced(OrderId orderId, String customerId, List<OrderLine> lines, BigDecimal total,
		String cardLast4) {

	public OrderPlaced {
		lines = List.copyOf(lines);
	}

}
