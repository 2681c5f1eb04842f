package dev.stranglerkit.badshop.inventory;

import dev.stranglerkit.badshop.orders.OrderPlacement;

/**
 * Listens to orders while orders uses inventory: a cycle between the two modules.
 */
public class InventoryListener {

	public void on(OrderPlacement event) {
	}

}
