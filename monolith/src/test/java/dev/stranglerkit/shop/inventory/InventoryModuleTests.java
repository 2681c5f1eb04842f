package dev.stranglerkit.shop.inventory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.stranglerkit.shop.catalog.ProductAdded;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.internal.InventoryService;
import dev.stranglerkit.shop.inventory.internal.Stock;
import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;
import dev.stranglerkit.shop.orders.OrderPlaced;
import dev.stranglerkit.messaging.MessageNotReadyException;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ApplicationModuleTest
class InventoryModuleTests {

	private final InventoryService inventory;

	InventoryModuleTests(InventoryService inventory) {
		this.inventory = inventory;
	}

	@Test
	void startsTrackingAnAddedProductWithNoStock(Scenario scenario) {
		ProductId product = ProductId.random();

		scenario.publish(new ProductAdded(product, "Tamper", new BigDecimal("9.90")))
			.andWaitForStateChange(() -> this.inventory.stockOf(product))
			.andVerify((stock) -> assertThat(stock).contains(new Stock(product, 0, 0)));
	}

	@Test
	void reservesStockForAPlacedOrder(Scenario scenario) {
		ProductId product = productWithStock(10);
		OrderPlaced placed = orderOf(product, 4);

		scenario.publish(placed)
			.andWaitForEventOfType(StockReserved.class)
			.matchingMappedValue(StockReserved::orderId, placed.orderId())
			.toArriveAndVerify((event) -> {
				assertThat(event.lines()).containsExactly(new StockLine(product, 4));
				assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 6, 4));
			});
	}

	@Test
	void reportsAShortageAndReservesNothing(Scenario scenario) {
		ProductId product = productWithStock(2);
		OrderPlaced placed = orderOf(product, 3);

		scenario.publish(placed)
			.andWaitForEventOfType(StockShortage.class)
			.matchingMappedValue(StockShortage::orderId, placed.orderId())
			.toArriveAndVerify((event) -> {
				assertThat(event.requested()).isEqualTo(3);
				assertThat(event.available()).isEqualTo(2);
				assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 2, 0));
			});
	}

	@Test
	void releasesTheStockOfACancelledOrder(Scenario scenario) {
		ProductId product = productWithStock(10);
		OrderPlaced placed = orderOf(product, 4);
		this.inventory.reserve(placed.orderId(), List.of(new StockLine(product, 4)));

		scenario.publish(new OrderCancelled(placed.orderId(), "c-1", "Card declined"))
			.andWaitForEventOfType(StockReleased.class)
			.matchingMappedValue(StockReleased::orderId, placed.orderId())
			.toArriveAndVerify(
					(event) -> assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 10, 0)));
	}

	@Test
	void keepsTheStockOfAConfirmedOrder(Scenario scenario) {
		ProductId product = productWithStock(10);
		OrderPlaced placed = orderOf(product, 4);
		this.inventory.reserve(placed.orderId(), List.of(new StockLine(product, 4)));

		scenario.publish(new OrderConfirmed(placed.orderId(), "c-1", new BigDecimal("4.00")))
			.andWaitForStateChange(() -> this.inventory.stockOf(product).orElseThrow(),
					(stock) -> stock.reserved() == 0)
			.andVerify((stock) -> assertThat(stock).isEqualTo(new Stock(product, 6, 0)));
	}

	@Test
	void handlingTheSameOrderTwiceReservesOnce() {
		ProductId product = productWithStock(10);
		OrderId order = OrderId.random();

		this.inventory.reserve(order, List.of(new StockLine(product, 3)));
		this.inventory.reserve(order, List.of(new StockLine(product, 3)));

		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 7, 3));
	}

	@Test
	void twoRacingDeliveriesOfOneOrderReserveOnce() {
		ProductId product = productWithStock(10);
		OrderId order = OrderId.random();
		List<StockLine> lines = List.of(new StockLine(product, 3));

		CompletableFuture
			.allOf(CompletableFuture.runAsync(() -> this.inventory.reserve(order, lines)),
					CompletableFuture.runAsync(() -> this.inventory.reserve(order, lines)))
			.join();

		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 7, 3));
	}

	@Test
	void releasingOrCommittingTwiceChangesNothing() {
		ProductId product = productWithStock(10);
		OrderId cancelled = OrderId.random();
		OrderId confirmed = OrderId.random();
		this.inventory.reserve(cancelled, List.of(new StockLine(product, 2)));
		this.inventory.reserve(confirmed, List.of(new StockLine(product, 3)));

		this.inventory.release(cancelled, Instant.now());
		this.inventory.release(cancelled, Instant.now());
		this.inventory.commit(confirmed);
		this.inventory.commit(confirmed);
		this.inventory.release(confirmed, Instant.now());

		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 7, 0));
	}

	@Test
	void aCancellationOrConfirmationArrivingBeforeItsReservationWaitsForIt() {
		ProductId product = productWithStock(10);
		OrderId cancelled = OrderId.random();
		OrderId confirmed = OrderId.random();

		assertThatExceptionOfType(MessageNotReadyException.class)
			.isThrownBy(() -> this.inventory.release(cancelled, Instant.now()));
		assertThatExceptionOfType(MessageNotReadyException.class).isThrownBy(() -> this.inventory.commit(confirmed));
		this.inventory.reserve(cancelled, List.of(new StockLine(product, 3)));
		this.inventory.reserve(confirmed, List.of(new StockLine(product, 2)));
		this.inventory.release(cancelled, Instant.now());
		this.inventory.commit(confirmed);

		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 8, 0));
	}

	private ProductId productWithStock(int available) {
		ProductId product = ProductId.random();
		this.inventory.track(product);
		this.inventory.setAvailable(product, available);
		return product;
	}

	private static OrderPlaced orderOf(ProductId product, int quantity) {
		return new OrderPlaced(OrderId.random(), "c-1", List.of(new OrderLine(product, quantity, BigDecimal.ONE)),
				BigDecimal.valueOf(quantity), "4242");
	}

}
