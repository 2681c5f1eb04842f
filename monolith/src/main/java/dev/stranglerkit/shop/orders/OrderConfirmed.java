package dev.stranglerkit.shop.orders;

import java.math.BigDecimal;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * An order's stock is reserved and its payment taken: the order is final.
 */
@DomainEvent
public record OrderConfirmed(OrderId orderId, String customerId, BigDecimal total) {
}
