package dev.stranglerkit.shop.orders.internal;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * The orchestrator of the order saga ({@code shop.saga.style: orchestration}): it holds
 * each saga's state ({@link SagaRepository}) and, on each answer, commands the next step:
 * stock reserved, then the card charged, then the order confirmed; a shortage cancels the
 * order; a failed charge is compensated (the stock released) before the order is
 * cancelled. Each answer is handled once, in one transaction with the next command, so a
 * crash resumes where the last commit left the saga. The participants know only the
 * commands and answer with the events they publish in either style ({@link SagaReply}).
 */
@Component
class OrderOrchestrator {

	private final SagaRepository sagas;

	private final SagaCommands commands;

	private final OrderService orders;

	OrderOrchestrator(SagaRepository sagas, SagaCommands commands, OrderService orders) {
		this.sagas = sagas;
		this.commands = commands;
		this.orders = orders;
	}

	/**
	 * Takes an answer of an orchestrated order only: a choreographed order's events get
	 * no publication for this listener (the condition is evaluated as they are
	 * published).
	 */
	@ApplicationModuleListener(condition = "@orderService.orchestrated(#root.args[0].orderId())")
	void on(SagaReply reply) {
		OrderId orderId = reply.orderId();
		if (!this.sagas.answered(orderId, reply.answers(), Sagas.eventName(reply.getClass().getName()))) {
			// an answer handled already, or one to a step given up
			return;
		}
		String failure = reply.failure();
		switch (reply.answers()) {
			case RESERVE_STOCK -> {
				if (failure == null) {
					this.orders.find(orderId).ifPresent(this.commands::chargePayment);
				}
				else {
					this.orders.cancel(orderId, failure);
				}
			}
			case CHARGE_PAYMENT -> {
				if (failure == null) {
					this.orders.confirm(orderId);
				}
				else {
					this.sagas.failed(orderId, failure);
					this.commands.releaseStock(orderId);
				}
			}
			case RELEASE_STOCK ->
				this.orders.cancel(orderId, this.sagas.failure(orderId).orElse("The order could not be fulfilled"));
		}
	}

}
