package dev.stranglerkit.shop.orders.internal;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.stranglerkit.shop.orders.SagaStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The orchestrator's deadlines: every {@code shop.saga.deadline-check} it takes the steps
 * whose answer is past its deadline ({@code shop.saga.step-timeout}) and sends their
 * command again, up to {@code shop.saga.attempts} times (every participant takes a
 * command twice without harm, and answers it again). Then a reservation is given up and
 * compensated: its stock released (once decided) and the order cancelled. A charge is
 * never given up: it is the saga's point of no return (a late charge of a cancelled order
 * could not be undone), and a release is a compensation, which must finish; both are
 * awaited, counted as overdue ({@code shop_orders_saga_steps_overdue}) and shown as such
 * by {@code GET /api/orders/{id}/saga}. Several instances share the work: a step is
 * locked by the one that handles it.
 */
@Component
class SagaDeadlines implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SagaDeadlines.class);

	private final SagaRepository sagas;

	private final SagaCommands commands;

	private final OrderRepository orders;

	private final SagaProperties properties;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private volatile ScheduledExecutorService scheduler;

	SagaDeadlines(SagaRepository sagas, SagaCommands commands, OrderRepository orders, SagaProperties properties,
			TransactionTemplate transactions, MeterRegistry meters) {
		this.sagas = sagas;
		this.commands = commands;
		this.orders = orders;
		this.properties = properties;
		this.transactions = transactions;
		this.meters = meters;
		Gauge.builder("shop.orders.saga.steps.overdue", sagas::overdue)
			.description("Steps of orchestrated sagas whose answer is past its deadline")
			.register(meters);
		for (SagaStyle style : SagaStyle.values()) {
			String name = style.name().toLowerCase(java.util.Locale.ROOT);
			Gauge.builder("shop.orders.sagas.pending", () -> orders.pending(style))
				.description("Orders whose saga has not ended, by the saga's style")
				.tag("style", name)
				.register(meters);
			Gauge.builder("shop.orders.saga.style", () -> (properties.getStyle() == style) ? 1 : 0)
				.description("1 for the style new orders' sagas follow on this instance (shop.saga.style)")
				.tag("style", name)
				.register(meters);
		}
	}

	/** Sends again, or gives up, what is past its deadline. */
	void check() {
		try {
			this.transactions.executeWithoutResult((transaction) -> {
				for (SagaRepository.Due due : this.sagas.due(this.properties.getAttempts())) {
					if (due.attempts() < this.properties.getAttempts()) {
						sendAgain(due);
					}
					else {
						giveUp(due);
					}
				}
			});
		}
		catch (RuntimeException ex) {
			log.warn("Could not check the sagas' deadlines; will try again: {}", ex.toString());
		}
	}

	private void sendAgain(SagaRepository.Due due) {
		Order order = this.orders.findById(due.orderId()).orElseThrow();
		Instant placedAt = this.orders.placedAt(due.orderId()).orElseThrow();
		this.commands.resend(order, placedAt, due.step(), due.attempts() + 1);
		count(due.step(), "sent-again");
		log.info("Order {}: no answer to {} within {}: sent again (attempt {})", due.orderId(), due.step(),
				this.properties.getStepTimeout(), due.attempts() + 1);
	}

	/** A reservation without an answer: released, then the order cancelled. */
	private void giveUp(SagaRepository.Due due) {
		this.sagas.answered(due.orderId(), due.step(), "TIMED_OUT");
		String failure = "The stock could not be reserved in time (%d attempts, %d s each)".formatted(due.attempts(),
				this.properties.getStepTimeout().toSeconds());
		this.sagas.failed(due.orderId(), failure);
		this.commands.releaseStock(due.orderId());
		count(due.step(), "given-up");
		log.warn("Order {}: no answer to {} after {} attempts: given up, its stock released before it is cancelled",
				due.orderId(), due.step(), due.attempts());
	}

	private void count(SagaStep step, String outcome) {
		Counter.builder("shop.orders.saga.deadlines")
			.description("Steps of orchestrated sagas past their deadline: sent again or given up")
			.tag("step", step.name())
			.tag("outcome", outcome)
			.register(this.meters)
			.increment();
	}

	@Override
	public void start() {
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("saga-deadlines").factory());
		long interval = this.properties.getDeadlineCheck().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.scheduler;
		if (running != null) {
			running.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
