package dev.stranglerkit.shop.inventory.internal;

import dev.stranglerkit.shop.catalog.ProductAdded;
import dev.stranglerkit.shop.inventory.StockLine;
import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderPlaced;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The inventory's part of the saga: reserve for a placed order, keep the stock of a
 * confirmed one, release the stock of a cancelled one.
 */
@Component
class InventoryEvents {

	private final InventoryService inventory;

	InventoryEvents(InventoryService inventory) {
		this.inventory = inventory;
	}

	@ApplicationModuleListener
	void on(OrderPlaced event) {
		this.inventory.reserve(event.orderId(),
				event.lines().stream().map((line) -> new StockLine(line.productId(), line.quantity())).toList());
	}

	@ApplicationModuleListener
	void on(OrderConfirmed event) {
		this.inventory.commit(event.orderId());
	}

	@ApplicationModuleListener
	void on(OrderCancelled event) {
		this.inventory.release(event.orderId());
	}

	@ApplicationModuleListener
	void on(ProductAdded event) {
		this.inventory.track(event.productId());
	}

}
