package dev.stranglerkit.shop.inventory;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import org.jmolecules.event.annotation.DomainEvent;

/**
 * An order asked for more of a product than was available; nothing was reserved for it.
 * (The name is the published contract's: the fact that a shortage was found.)
 */
@DomainEvent
public record StockShortage(OrderId orderId, ProductId productId, int requested,
		int available) implements CancelsOrder {

	@Override
	public String reason() {
		return "Not enough stock of product %s: %d requested, %d available".formatted(this.productId, this.requested,
				this.available);
	}

}
