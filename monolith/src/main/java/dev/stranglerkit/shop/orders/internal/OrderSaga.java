package dev.stranglerkit.shop.orders.internal;

import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.ConfirmsOrder;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The orders side of the choreographed saga: an order ends when another module reports
 * that it cannot be fulfilled or that it has been paid. Both steps are idempotent per
 * order. An orchestrated order's events are its orchestrator's to handle.
 */
@Component
class OrderSaga {

	/**
	 * An orchestrated order ends by its orchestrator's decision
	 * ({@link OrderOrchestrator}), after compensation: its events get no publication for
	 * these listeners.
	 */
	static final String CHOREOGRAPHED = "!@orderService.orchestrated(#root.args[0].orderId())";

	private final OrderService orders;

	OrderSaga(OrderService orders) {
		this.orders = orders;
	}

	@ApplicationModuleListener(condition = CHOREOGRAPHED)
	void on(CancelsOrder event) {
		this.orders.cancel(event.orderId(), event.reason());
	}

	@ApplicationModuleListener(condition = CHOREOGRAPHED)
	void on(ConfirmsOrder event) {
		this.orders.confirm(event.orderId());
	}

}
