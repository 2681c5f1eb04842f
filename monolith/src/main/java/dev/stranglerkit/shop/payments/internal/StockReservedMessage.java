package dev.stranglerkit.shop.payments.internal;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.payments.TriggersPayment;

/**
 * The part of an {@code inventory.StockReserved} message that payments needs (see
 * {@code contracts/events/inventory.StockReserved.schema.json}).
 */
record StockReservedMessage(OrderId orderId) implements TriggersPayment {
}
