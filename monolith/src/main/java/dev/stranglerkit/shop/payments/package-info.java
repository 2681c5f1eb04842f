/**
 * Payments: charges an order once its stock is reserved, with a simulated card processor
 * that declines cards ending in 0002.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Payments")
package dev.stranglerkit.shop.payments;
