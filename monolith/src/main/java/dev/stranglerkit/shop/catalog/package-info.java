/**
 * The catalog: the products the shop sells and their prices.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Catalog")
package dev.stranglerkit.shop.catalog;
