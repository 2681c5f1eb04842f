package dev.stranglerkit.launcher.compare;

import java.util.List;

import dev.stranglerkit.launcher.compare.Invariants.OrderFacts;
import dev.stranglerkit.launcher.compare.Invariants.StockFacts;
import dev.stranglerkit.launcher.compare.ShopWorkload.PlacedOrder;
import dev.stranglerkit.report.InvariantCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The compare's invariant checks on the facts of a healthy run and of broken ones. */
class InvariantsTests {

	static final String BEANS = ShopWorkload.BEANS;

	static final String GRINDER = ShopWorkload.GRINDER;

	final PlacedOrder approved = new PlacedOrder("/api/orders/a", BEANS, 2, "POST /api/orders (approved)");

	final PlacedOrder declined = new PlacedOrder("/api/orders/d", BEANS, 1, "POST /api/orders (declined)");

	final PlacedOrder shortOne = new PlacedOrder("/api/orders/s", GRINDER, 1, "POST /api/orders (short)");

	List<OrderFacts> healthyOrders() {
		return List.of(new OrderFacts(this.approved, "CONFIRMED", 1, 1),
				new OrderFacts(this.declined, "CANCELLED", 0, 1), new OrderFacts(this.shortOne, "CANCELLED", 0, 1));
	}

	List<StockFacts> healthyStock() {
		return List.of(new StockFacts(BEANS, 100, 98, 0), new StockFacts(GRINDER, 0, 0, 0));
	}

	@Test
	void aHealthyRunHoldsEveryInvariant() {
		List<InvariantCheck> checks = Invariants.check(healthyOrders(), healthyStock(), 0, 0);

		assertThat(checks).hasSize(6).allMatch(InvariantCheck::holds);
		assertThat(checks.get(0).detail()).isEqualTo("3 accepted: 1 confirmed, 2 cancelled, 0 not ended");
	}

	@Test
	void anOrderLeftPendingFailsTheRun() {
		List<OrderFacts> orders = List.of(new OrderFacts(this.approved, "PENDING", 0, 0),
				new OrderFacts(this.declined, "CANCELLED", 0, 1), new OrderFacts(this.shortOne, "CANCELLED", 0, 1));

		List<InvariantCheck> checks = Invariants.check(orders, List.of(new StockFacts(BEANS, 100, 100, 0)), 0, 0);

		assertThat(checks.get(0).holds()).isFalse();
		assertThat(checks.get(0).detail()).contains("1 not ended");
		assertThat(checks.get(1).holds()).as("an approved order that did not confirm").isFalse();
	}

	@Test
	void stockThatIsNotConservedFailsTheRun() {
		List<InvariantCheck> lost = Invariants.check(healthyOrders(),
				List.of(new StockFacts(BEANS, 100, 97, 0), new StockFacts(GRINDER, 0, 0, 0)), 0, 0);
		List<InvariantCheck> stillReserved = Invariants.check(healthyOrders(),
				List.of(new StockFacts(BEANS, 100, 98, 1), new StockFacts(GRINDER, 0, 0, 0)), 0, 0);

		assertThat(lost.get(2).holds()).isFalse();
		assertThat(lost.get(2).detail()).contains("product …0001: 100 - 2 confirmed = 98, available 97")
			.contains("WRONG");
		assertThat(stillReserved.get(2).holds()).isFalse();
	}

	@Test
	void aDoublePaymentAMissingNotificationOrALeftoverEventFailsTheRun() {
		List<OrderFacts> paidTwice = List.of(new OrderFacts(this.approved, "CONFIRMED", 2, 1));
		List<OrderFacts> notNotified = List.of(new OrderFacts(this.approved, "CONFIRMED", 1, 0));
		List<StockFacts> stock = List.of(new StockFacts(BEANS, 100, 98, 0));

		assertThat(Invariants.check(paidTwice, stock, 0, 0).get(3).holds()).isFalse();
		assertThat(Invariants.check(notNotified, stock, 0, 0).get(4).holds()).isFalse();
		assertThat(Invariants.check(healthyOrders(), healthyStock(), 1, 0).get(5).holds()).isFalse();
		assertThat(Invariants.check(healthyOrders(), healthyStock(), 0, 1).get(5).holds()).isFalse();
	}

}
