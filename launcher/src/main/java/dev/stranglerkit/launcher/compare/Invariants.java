package dev.stranglerkit.launcher.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.stranglerkit.launcher.compare.ShopWorkload.PlacedOrder;
import dev.stranglerkit.report.InvariantCheck;

/**
 * The map's invariants (shared/ARCHITECTURE.md), checked on what a run left behind: every
 * accepted order ended, and as its kind says; stock is conserved; one successful payment
 * per confirmed order and none per cancelled one; one notification per order; and no
 * event left in an outbox or dead-lettered. A pure function of the facts gathered after
 * the run ({@link ShopFacts}), so that a broken run is easy to build in a test.
 */
public final class Invariants {

	private Invariants() {
	}

	/**
	 * What the shop says about one accepted order after the run.
	 *
	 * @param order the order as placed
	 * @param status PENDING, CONFIRMED or CANCELLED
	 * @param succeededPayments its payments that succeeded
	 * @param notifications the notifications sent for it
	 */
	public record OrderFacts(PlacedOrder order, String status, long succeededPayments, int notifications) {
	}

	/**
	 * One product's stock before and after the run.
	 */
	public record StockFacts(String product, int initial, int available, int reserved) {
	}

	public static List<InvariantCheck> check(List<OrderFacts> orders, List<StockFacts> stock, long outboxBacklog,
			long deadLetters) {
		List<InvariantCheck> checks = new ArrayList<>();
		long confirmed = orders.stream().filter((o) -> o.status().equals("CONFIRMED")).count();
		long cancelled = orders.stream().filter((o) -> o.status().equals("CANCELLED")).count();
		long pending = orders.size() - confirmed - cancelled;
		checks.add(new InvariantCheck("every accepted order ended", pending == 0,
				"%d accepted: %d confirmed, %d cancelled, %d not ended".formatted(orders.size(), confirmed, cancelled,
						pending)));

		long unexpected = orders.stream().filter((o) -> !o.status().equals(expected(o.order()))).count();
		checks.add(new InvariantCheck(
				"each order ended as its kind says (approved: confirmed; declined, short: cancelled)", unexpected == 0,
				"%d of %d otherwise".formatted(unexpected, orders.size())));

		Map<String, Integer> confirmedQuantity = new TreeMap<>();
		orders.stream()
			.filter((o) -> o.status().equals("CONFIRMED"))
			.forEach((o) -> confirmedQuantity.merge(o.order().product(), o.order().quantity(), Integer::sum));
		boolean conserved = true;
		List<String> details = new ArrayList<>();
		for (StockFacts product : stock) {
			int sold = confirmedQuantity.getOrDefault(product.product(), 0);
			boolean holds = product.initial() - sold == product.available() && product.reserved() == 0;
			conserved &= holds;
			details.add("%s: %d - %d confirmed = %d, available %d, reserved %d%s".formatted(
					"product …" + product.product().substring(product.product().length() - 4), product.initial(), sold,
					product.initial() - sold, product.available(), product.reserved(), holds ? "" : " (WRONG)"));
		}
		checks.add(new InvariantCheck("stock conserved (initial - confirmed = available, nothing reserved)", conserved,
				String.join("; ", details)));

		long wrongPayments = orders.stream()
			.filter((o) -> !o.status().equals("PENDING"))
			.filter((o) -> o.succeededPayments() != (o.status().equals("CONFIRMED") ? 1 : 0))
			.count();
		checks.add(new InvariantCheck("one successful payment per confirmed order, none per cancelled one",
				wrongPayments == 0, "%d orders otherwise".formatted(wrongPayments)));

		long wrongNotifications = orders.stream()
			.filter((o) -> !o.status().equals("PENDING"))
			.filter((o) -> o.notifications() != 1)
			.count();
		checks.add(new InvariantCheck("one notification per ended order", wrongNotifications == 0,
				"%d orders otherwise".formatted(wrongNotifications)));

		checks.add(new InvariantCheck("no event left behind (outbox backlog, dead letters)",
				outboxBacklog == 0 && deadLetters == 0,
				"%d publications incomplete, %d messages dead-lettered".formatted(outboxBacklog, deadLetters)));
		return checks;
	}

	static String expected(PlacedOrder order) {
		return order.endpoint().endsWith("(approved)") ? "CONFIRMED" : "CANCELLED";
	}

}
