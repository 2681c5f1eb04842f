package dev.stranglerkit.shop.payments;

import dev.stranglerkit.shop.orders.OrderId;

/**
 * Implemented by the event of another module that clears an order for payment (its stock
 * is reserved). Payments listens to this type rather than to that module's event, so that
 * it does not depend on a module the migration extracts.
 */
public interface TriggersPayment {

	OrderId orderId();

}
