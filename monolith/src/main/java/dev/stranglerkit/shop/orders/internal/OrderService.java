package dev.stranglerkit.shop.orders.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.stranglerkit.shop.catalog.Catalog;
import dev.stranglerkit.shop.catalog.Product;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;
import dev.stranglerkit.shop.orders.OrderPlaced;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Service
@Transactional(readOnly = true)
public class OrderService {

	private final OrderRepository orders;

	private final Catalog catalog;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final SagaCommands saga;

	private final SagaProperties sagaStyle;

	OrderService(OrderRepository orders, Catalog catalog, ApplicationEventPublisher events, MeterRegistry meters,
			SagaCommands saga, SagaProperties sagaStyle) {
		this.orders = orders;
		this.catalog = catalog;
		this.events = events;
		this.meters = meters;
		this.saga = saga;
		this.sagaStyle = sagaStyle;
	}

	/**
	 * Accepts an order at today's prices and starts the saga. The caller has validated
	 * the request; the card number is already known to be well-formed.
	 * @param quantities the quantity of each product, in the order of the request's lines
	 * @throws UnknownProductsException if the catalog lacks a product; nothing is stored
	 * then
	 */
	@Transactional
	public Order place(String customerId, String cardNumber, Map<ProductId, Integer> quantities) {
		Map<ProductId, Product> products = this.catalog.findAll(quantities.keySet());
		List<ProductId> unknown = quantities.keySet().stream().filter((id) -> !products.containsKey(id)).toList();
		if (!unknown.isEmpty()) {
			throw new UnknownProductsException(unknown);
		}
		List<OrderLine> lines = new ArrayList<>();
		quantities.forEach((id, quantity) -> lines.add(new OrderLine(id, quantity, products.get(id).price())));
		BigDecimal total = lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
		Order order = new Order(OrderId.random(), customerId, OrderStatus.PENDING, null, lines, total);
		SagaStyle style = styleForNewOrder();
		// as PostgreSQL keeps it (microseconds): a command sent again carries the same
		Instant placedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
		this.orders.insert(order, style, placedAt);
		String last4 = cardNumber.substring(cardNumber.length() - 4);
		if (style == SagaStyle.ORCHESTRATION) {
			this.saga.reserveStock(order.id(), placedAt, lines, last4);
		}
		else {
			this.events.publishEvent(new OrderPlaced(order.id(), customerId, lines, total, last4));
		}
		return order;
	}

	/**
	 * @return the style configured ({@code shop.saga.style}) for an order placed now
	 */
	private SagaStyle styleForNewOrder() {
		return this.sagaStyle.getStyle();
	}

	/**
	 * @return the style of the order's saga, empty for an unknown order
	 */
	public Optional<SagaStyle> sagaStyle(OrderId id) {
		return this.orders.sagaStyle(id);
	}

	/**
	 * @return whether the order's saga is orchestrated ({@code false} for an unknown
	 * order); the condition of the saga's listeners, read as an answer is published
	 */
	public boolean orchestrated(OrderId id) {
		return sagaStyle(id).orElse(SagaStyle.CHOREOGRAPHY) == SagaStyle.ORCHESTRATION;
	}

	public Optional<Order> find(OrderId id) {
		return this.orders.findById(id);
	}

	@Transactional
	public void confirm(OrderId id) {
		this.orders.finishPending(id, OrderStatus.CONFIRMED, null).ifPresent((finished) -> {
			Order order = finished.order();
			this.events.publishEvent(new OrderConfirmed(order.id(), order.customerId(), order.total()));
			recordSaga(finished);
		});
	}

	@Transactional
	public void cancel(OrderId id, String reason) {
		this.orders.finishPending(id, OrderStatus.CANCELLED, reason).ifPresent((finished) -> {
			Order order = finished.order();
			this.events.publishEvent(new OrderCancelled(order.id(), order.customerId(), reason));
			recordSaga(finished);
		});
	}

	/**
	 * The saga's outcome and duration (placed to finished), counted once it is committed.
	 */
	private void recordSaga(OrderRepository.Finished finished) {
		String outcome = finished.order().status().name().toLowerCase(java.util.Locale.ROOT);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Timer.builder("shop.orders.saga")
					.description("From an order placed to its saga's end (confirmed or cancelled)")
					.tag("outcome", outcome)
					.publishPercentileHistogram()
					.minimumExpectedValue(Duration.ofMillis(1))
					.maximumExpectedValue(Duration.ofMinutes(1))
					.register(OrderService.this.meters)
					.record(finished.saga());
			}
		});
	}

}
