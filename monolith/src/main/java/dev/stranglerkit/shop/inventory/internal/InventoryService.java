package dev.stranglerkit.shop.inventory.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.StockAdjusted;
import dev.stranglerkit.shop.inventory.StockLine;
import dev.stranglerkit.shop.inventory.StockReleased;
import dev.stranglerkit.shop.inventory.StockReserved;
import dev.stranglerkit.shop.inventory.StockShortage;
import dev.stranglerkit.shop.inventory.internal.ReservationRepository.Status;
import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
public class InventoryService {

	private final StockRepository stock;

	private final ReservationRepository reservations;

	private final ApplicationEventPublisher events;

	InventoryService(StockRepository stock, ReservationRepository reservations, ApplicationEventPublisher events) {
		this.stock = stock;
		this.reservations = reservations;
		this.events = events;
	}

	public Optional<Stock> stockOf(ProductId productId) {
		return this.stock.find(productId);
	}

	/**
	 * Sets the available stock of a product the inventory knows.
	 * @return the stock as it is now, or empty for an unknown product
	 */
	@Transactional
	public Optional<Stock> setAvailable(ProductId productId, int available) {
		return this.stock.lock(List.of(productId)).stream().findFirst().map((current) -> {
			this.stock.setAvailable(productId, available);
			if (current.available() != available) {
				this.events.publishEvent(new StockAdjusted(productId, current.available(), available));
			}
			return new Stock(productId, available, current.reserved());
		});
	}

	@Transactional
	public void track(ProductId productId) {
		this.stock.createIfAbsent(productId, 0);
	}

	/**
	 * Reserves every line of an order, or nothing. Handling the same order twice changes
	 * nothing.
	 */
	@Transactional
	public void reserve(OrderId orderId, List<StockLine> requested) {
		if (!this.reservations.claim(orderId, Status.DECIDING)) {
			return;
		}
		List<StockLine> lines = requested.stream()
			.sorted(Comparator.comparing((StockLine l) -> l.productId().value()))
			.toList();
		Map<ProductId, Stock> current = this.stock.lock(lines.stream().map(StockLine::productId).toList())
			.stream()
			.collect(Collectors.toMap(Stock::productId, Function.identity()));
		for (StockLine line : lines) {
			int available = Optional.ofNullable(current.get(line.productId())).map(Stock::available).orElse(0);
			if (available < line.quantity()) {
				this.reservations.move(orderId, Status.DECIDING, Status.REJECTED);
				this.events.publishEvent(new StockShortage(orderId, line.productId(), line.quantity(), available));
				return;
			}
		}
		for (StockLine line : lines) {
			this.stock.reserve(line.productId(), line.quantity());
			this.reservations.addLine(orderId, line);
		}
		this.reservations.move(orderId, Status.DECIDING, Status.RESERVED);
		this.events.publishEvent(new StockReserved(orderId, lines));
	}

	/**
	 * Makes an order's stock available again. An order cancelled before its reservation
	 * was decided is marked so that a late reservation request holds nothing.
	 */
	@Transactional
	public void release(OrderId orderId) {
		if (this.reservations.move(orderId, Status.RESERVED, Status.RELEASED)) {
			List<StockLine> lines = this.reservations.lines(orderId);
			lines.forEach((line) -> this.stock.release(line.productId(), line.quantity()));
			this.events.publishEvent(new StockReleased(orderId, lines));
		}
		else {
			this.reservations.claim(orderId, Status.VOID);
		}
	}

	/**
	 * The order is confirmed: its reserved stock is gone for good.
	 */
	@Transactional
	public void commit(OrderId orderId) {
		if (this.reservations.move(orderId, Status.RESERVED, Status.COMMITTED)) {
			this.reservations.lines(orderId).forEach((line) -> this.stock.commit(line.productId(), line.quantity()));
		}
	}

}
