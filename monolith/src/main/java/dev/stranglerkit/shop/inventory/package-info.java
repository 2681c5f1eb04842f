/**
 * Inventory: the stock of each product, and the reservations that hold stock for orders
 * in flight. The first module the migration guide extracts into its own service.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Inventory")
package dev.stranglerkit.shop.inventory;
