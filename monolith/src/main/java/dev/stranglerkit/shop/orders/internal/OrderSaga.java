package dev.stranglerkit.shop.orders.internal;

import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.ConfirmsOrder;
import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The orders side of the choreographed saga: an order ends when another module reports
 * that it cannot be fulfilled or that it has been paid. Both steps are idempotent per
 * order. An orchestrated order's events are its orchestrator's to handle.
 */
@Component
class OrderSaga {

	private final OrderService orders;

	OrderSaga(OrderService orders) {
		this.orders = orders;
	}

	@ApplicationModuleListener
	void on(CancelsOrder event) {
		if (choreographed(event.orderId())) {
			this.orders.cancel(event.orderId(), event.reason());
		}
	}

	@ApplicationModuleListener
	void on(ConfirmsOrder event) {
		if (choreographed(event.orderId())) {
			this.orders.confirm(event.orderId());
		}
	}

	/**
	 * @return whether the order's saga is choreographed: an orchestrated order ends by
	 * its orchestrator's decision ({@link OrderOrchestrator}), after compensation
	 */
	private boolean choreographed(OrderId orderId) {
		return this.orders.sagaStyle(orderId).orElse(SagaStyle.CHOREOGRAPHY) == SagaStyle.CHOREOGRAPHY;
	}

}
