package dev.stranglerkit.shop.inventory;

import java.time.Instant;
import java.util.List;

import dev.stranglerkit.messaging.MessageNotReadyException;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.internal.InventoryService;
import dev.stranglerkit.shop.inventory.internal.Stock;
import dev.stranglerkit.shop.orders.OrderId;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The monolith as the inventory's new owner while the previous one (the inventory-service
 * in this test's configuration, from the start of 2026 until June) has not decided an
 * order placed in its time: it is down, say, and that order's message waits in its queue.
 * That order is stranded and reported; the orders after it are decided without waiting,
 * as if it would get its stock.
 */
@ApplicationModuleTest
@TestPropertySource(properties = { "kit.ownership.inventory[0]=2026-01-01T00:00:00Z=service",
		"kit.ownership.inventory[1]=2026-06-01T00:00:00Z=monolith" })
class InventoryHandoffTests {

	/** in the service's time */
	static final Instant STRANDED_AT = Instant.parse("2026-03-01T12:00:00Z");

	private final InventoryService inventory;

	private final MeterRegistry meters;

	InventoryHandoffTests(InventoryService inventory, MeterRegistry meters) {
		this.inventory = inventory;
		this.meters = meters;
	}

	@Test
	void aStrandedOrderOfThePreviousOwnerKeepsItsStockBackAndBlocksNoOtherOrder() {
		ProductId product = productWithStock(10);
		double overdue = overdue();
		OrderId stranded = OrderId.random();
		this.inventory.orderPlaced(stranded, STRANDED_AT,
				List.of(new StockLine(product, 3), new StockLine(product, 1)));
		assertThat(overdue()).as("reported overdue (placed long ago)").isEqualTo(overdue + 1);

		// the previous owner's decision has not come: 4 are kept back for it
		OrderId fits = OrderId.random();
		this.inventory.orderPlaced(fits, Instant.now(), List.of(new StockLine(product, 5)));
		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 5, 5));
		OrderId tooMuchEitherWay = OrderId.random();
		this.inventory.orderPlaced(tooMuchEitherWay, Instant.now(), List.of(new StockLine(product, 6)));
		assertThat(this.inventory.stockOf(product)).as("short at once").contains(new Stock(product, 5, 5));
		OrderId fitsOnlyWithoutIt = OrderId.random();
		assertThatExceptionOfType(MessageNotReadyException.class).isThrownBy(
				() -> this.inventory.orderPlaced(fitsOnlyWithoutIt, Instant.now(), List.of(new StockLine(product, 3))))
			.withMessageContaining("4 of them asked for by orders placed before the handoff");
		ProductId other = productWithStock(2);
		this.inventory.orderPlaced(OrderId.random(), Instant.now(), List.of(new StockLine(other, 2)));
		assertThat(this.inventory.stockOf(other)).as("other products are not concerned")
			.contains(new Stock(other, 0, 2));

		// the decision comes (the previous owner is back): a shortage holds nothing, so
		// the
		// waiting order fits now
		this.inventory.rejectedByOwner(stranded);
		assertThat(overdue()).isEqualTo(overdue);
		this.inventory.orderPlaced(fitsOnlyWithoutIt, Instant.now(), List.of(new StockLine(product, 3)));
		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 2, 8));
	}

	@Test
	void aStrandedOrderReservedByThePreviousOwnerGetsItsStock() {
		ProductId product = productWithStock(10);
		OrderId stranded = OrderId.random();
		this.inventory.orderPlaced(stranded, STRANDED_AT, List.of(new StockLine(product, 4)));
		this.inventory.orderPlaced(OrderId.random(), Instant.now(), List.of(new StockLine(product, 6)));

		this.inventory.reservedByOwner(stranded, List.of(new StockLine(product, 4)));

		assertThat(this.inventory.stockOf(product)).contains(new Stock(product, 0, 10));
	}

	private double overdue() {
		return this.meters.get("kit.ownership.overdue.decisions").tag("module", "inventory").gauge().value();
	}

	private ProductId productWithStock(int available) {
		ProductId product = ProductId.random();
		this.inventory.track(product);
		this.inventory.setAvailable(product, available);
		return product;
	}

}
