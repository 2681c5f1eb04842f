package dev.stranglerkit.shop.payments;

import java.math.BigDecimal;
import java.util.UUID;

import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import org.jmolecules.event.annotation.DomainEvent;

/**
 * An order's payment was declined; the order is to be cancelled and its stock released.
 */
@DomainEvent
public record PaymentFailed(UUID paymentId, OrderId orderId, BigDecimal amount, String reason) implements CancelsOrder {
}
