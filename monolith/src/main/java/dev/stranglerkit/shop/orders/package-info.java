/**
 * Orders: takes orders, prices them from the catalog, and follows each one through the
 * saga to CONFIRMED or CANCELLED.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Orders")
package dev.stranglerkit.shop.orders;
