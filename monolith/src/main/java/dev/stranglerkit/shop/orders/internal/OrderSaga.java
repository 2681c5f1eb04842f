package dev.stranglerkit.shop.orders.internal;

import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.ConfirmsOrder;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The orders side of the choreographed saga: an order ends when another module reports
 * that it cannot be fulfilled or that it has been paid. Both steps are idempotent per
 * order.
 */
@Component
class OrderSaga {

	private final OrderService orders;

	OrderSaga(OrderService orders) {
		this.orders = orders;
	}

	@ApplicationModuleListener
	void on(CancelsOrder event) {
		this.orders.cancel(event.orderId(), event.reason());
	}

	@ApplicationModuleListener
	void on(ConfirmsOrder event) {
		this.orders.confirm(event.orderId());
	}

}
