package dev.stranglerkit.shop.payments;

import java.math.BigDecimal;
import java.util.UUID;

import dev.stranglerkit.shop.orders.ConfirmsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import org.jmolecules.event.annotation.DomainEvent;

/**
 * An order's payment was approved and taken.
 */
@DomainEvent
public record PaymentCompleted(UUID paymentId, OrderId orderId, BigDecimal amount) implements ConfirmsOrder {
}
