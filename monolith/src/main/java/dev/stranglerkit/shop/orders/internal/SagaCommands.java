package dev.stranglerkit.shop.orders.internal;

import java.time.Instant;
import java.util.List;

import dev.stranglerkit.shop.orders.ChargePayment;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;
import dev.stranglerkit.shop.orders.ReleaseStock;
import dev.stranglerkit.shop.orders.ReserveStock;
import dev.stranglerkit.shop.orders.SagaStep;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Sends the orchestrated saga's commands: each through the outbox (a command is an event
 * publication, completed once its participant took it), in the transaction that records
 * the step, so that a step recorded is a command sent and the reverse.
 */
@Component
class SagaCommands {

	private final SagaRepository sagas;

	private final ApplicationEventPublisher events;

	private final SagaProperties properties;

	SagaCommands(SagaRepository sagas, ApplicationEventPublisher events, SagaProperties properties) {
		this.sagas = sagas;
		this.events = events;
		this.properties = properties;
	}

	void reserveStock(OrderId orderId, Instant placedAt, List<OrderLine> lines, String cardLast4) {
		this.sagas.start(orderId, cardLast4);
		send(orderId, SagaStep.RESERVE_STOCK, new ReserveStock(orderId, placedAt, lines, 1));
	}

	/**
	 * Sends a step's command once more (its answer is late), as the how-manyth attempt.
	 */
	void resend(Order order, Instant placedAt, SagaStep step, int attempt) {
		OrderId orderId = order.id();
		this.sagas.resent(orderId, step, Instant.now().plus(this.properties.getStepTimeout()));
		this.events.publishEvent(switch (step) {
			case RESERVE_STOCK -> new ReserveStock(orderId, placedAt, order.lines(), attempt);
			case CHARGE_PAYMENT -> new ChargePayment(orderId, order.total(), this.sagas.cardLast4(orderId), attempt);
			case RELEASE_STOCK -> new ReleaseStock(orderId, attempt);
		});
	}

	void chargePayment(Order order) {
		send(order.id(), SagaStep.CHARGE_PAYMENT,
				new ChargePayment(order.id(), order.total(), this.sagas.cardLast4(order.id()), 1));
	}

	void releaseStock(OrderId orderId) {
		send(orderId, SagaStep.RELEASE_STOCK, new ReleaseStock(orderId, 1));
	}

	private void send(OrderId orderId, SagaStep step, Object command) {
		this.sagas.sent(orderId, step, Instant.now().plus(this.properties.getStepTimeout()));
		this.events.publishEvent(command);
	}

}
