/**
 * The inventory-service: the shop's inventory module, extracted, and laid out as the
 * module is. This package is its API: the events it publishes as the inventory's owner
 * and the ids they carry, its own copies of the module's types (no code is shared with
 * the monolith). {@code internal} decides and follows, {@code web} serves the stock,
 * {@code backfill} copies the module's data once.
 */
package dev.stranglerkit.inventory;
