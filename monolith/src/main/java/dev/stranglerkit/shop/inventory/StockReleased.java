package dev.stranglerkit.shop.inventory;

import java.util.List;

import dev.stranglerkit.shop.orders.OrderId;
import org.jmolecules.event.annotation.DomainEvent;

/**
 * The stock held for a cancelled order is available again.
 */
@DomainEvent
public record StockReleased(OrderId orderId, List<StockLine> lines) {

	public StockReleased {
		lines = List.copyOf(lines);
	}

}
