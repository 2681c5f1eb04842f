package dev.stranglerkit.shop.payments.internal;

import dev.stranglerkit.shop.orders.ChargePayment;
import dev.stranglerkit.shop.orders.OrderPlaced;
import dev.stranglerkit.shop.payments.TriggersPayment;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

@Component
class PaymentEvents {

	private final PaymentService payments;

	PaymentEvents(PaymentService payments) {
		this.payments = payments;
	}

	@ApplicationModuleListener
	void on(OrderPlaced event) {
		this.payments.orderPlaced(event.orderId(), event.total(), event.cardLast4());
	}

	@ApplicationModuleListener
	void on(TriggersPayment event) {
		this.payments.stockReserved(event.orderId());
	}

	/** The orchestrated saga's command: what to charge, once the stock is held. */
	@ApplicationModuleListener
	void on(ChargePayment command) {
		this.payments.charge(command.orderId(), command.amount(), command.cardLast4(), command.attempt() > 1);
	}

}
