package dev.stranglerkit.shop.inventory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.messaging.MessageNotReadyException;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.ownership.OwnershipProperties;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.BehaviourScenario.Names;
import dev.stranglerkit.shop.inventory.BehaviourScenario.Outcome;
import dev.stranglerkit.shop.inventory.BehaviourScenario.Step;
import dev.stranglerkit.shop.inventory.internal.InventoryService;
import dev.stranglerkit.shop.inventory.internal.Stock;
import dev.stranglerkit.shop.orders.OrderId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.PublishedEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The module does what {@code contracts/behaviour/inventory/} says, the same scenarios
 * the inventory-service runs (its {@code InventoryBehaviourTests}), so that the two
 * cannot drift apart unseen. Each input goes to {@link InventoryService} as the module's
 * listeners and message handlers hand it over; one that is not ready is handed over again
 * after each later input, as the outbox and the consumer would, until it is applied. What
 * the module published, its stock and its reservations are then compared with the
 * scenario's.
 */
@ApplicationModuleTest
class InventoryBehaviourTests {

	private final InventoryService inventory;

	private final OwnershipProperties ownership;

	private final JdbcClient jdbc;

	InventoryBehaviourTests(InventoryService inventory, OwnershipProperties ownership, JdbcClient jdbc) {
		this.inventory = inventory;
		this.ownership = ownership;
		this.jdbc = jdbc;
	}

	static List<String> scenarios() throws IOException {
		return BehaviourScenario.files();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void decidesAsTheScenarioSays(String file, PublishedEvents events) throws IOException {
		BehaviourScenario scenario = BehaviourScenario.read(file);
		Names names = new Names();
		scenario.stock().forEach((product, available) -> {
			this.inventory.track(new ProductId(names.id(product)));
			this.inventory.adjustedByOwner(UUID.randomUUID(), new ProductId(names.id(product)), 0, available);
		});
		Map<String, List<String>> handoffs = this.ownership.handoffs();
		Duration settle = this.ownership.getSettle();
		try {
			Instant start = Instant.now();
			Map<String, List<String>> scenarioHandoffs = new HashMap<>(handoffs);
			scenarioHandoffs.put("inventory", scenario.handoffs(start, Owner.MONOLITH.value(), Owner.SERVICE.value()));
			this.ownership.setModules(scenarioHandoffs);
			scenario.settleTime().ifPresent(this.ownership::setSettle);
			List<Runnable> waiting = new ArrayList<>();
			for (Step step : scenario.inputs()) {
				Runnable input = input(step, names, start);
				switch (step.then()) {
					case "waits" -> {
						assertThatExceptionOfType(MessageNotReadyException.class).as(step.toString())
							.isThrownBy(input::run);
						waiting.add(input);
					}
					case "refused" ->
						assertThatExceptionOfType(InventoryService.NotTheOwnerException.class).as(step.toString())
							.isThrownBy(input::run);
					default -> {
						input.run();
						handOverAgain(waiting);
					}
				}
			}
			// (in this thread: the published events are recorded per thread)
			await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> handOverAgain(waiting));

			Outcome outcome = outcome(scenario.expect(), names, events);
			assertThat(outcome.stock()).as(file + ": stock").isEqualTo(scenario.expect().stock());
			assertThat(outcome.reservations()).as(file + ": reservations").isEqualTo(scenario.expect().reservations());
			assertThat(outcome.published()).as(file + ": published")
				.containsExactlyInAnyOrderElementsOf(scenario.expect().published());
		}
		finally {
			this.ownership.setModules(handoffs);
			this.ownership.setSettle(settle);
		}
	}

	/** The module's reaction to an input, as its listener or message handler calls it. */
	private Runnable input(Step step, Names names, Instant start) {
		OrderId order = (step.name("order") != null) ? new OrderId(names.id(step.name("order"))) : null;
		ProductId product = (step.name("product") != null) ? new ProductId(names.id(step.name("product"))) : null;
		Instant at = step.at(start);
		return switch (step.input()) {
			case "ProductAdded" -> () -> this.inventory.track(product);
			case "OrderPlaced" -> () -> this.inventory.orderPlaced(order, at, lines(step, names));
			case "OrderConfirmed" -> () -> this.inventory.commit(order);
			case "OrderCancelled" -> () -> this.inventory.release(order, at);
			case "ReserveStock" -> () -> this.inventory.reserveCommanded(order, at, lines(step, names),
					step.fields().containsKey("attempt") && step.number("attempt") > 1);
			case "ReleaseStock" -> () -> this.inventory.releaseCommanded(order, at);
			case "StockReserved" -> () -> this.inventory.reservedByOwner(order, lines(step, names));
			case "StockShortage" -> () -> this.inventory.rejectedByOwner(order);
			case "StockReleased" -> () -> {
			};
			case "StockAdjusted" -> () -> this.inventory.adjustedByOwner(names.id(step.name("id")), product,
					step.number("previouslyAvailable"), step.number("available"));
			case "AdjustStock" -> () -> this.inventory.setAvailable(product, step.number("available"));
			default -> throw new IllegalArgumentException("No such input: " + step.input());
		};
	}

	private static List<StockLine> lines(Step step, Names names) {
		return step.lines()
			.entrySet()
			.stream()
			.map((line) -> new StockLine(new ProductId(names.id(line.getKey())), line.getValue()))
			.toList();
	}

	/** Hands over again what waited; true once everything has been applied. */
	private static boolean handOverAgain(List<Runnable> waiting) {
		waiting.removeIf((input) -> {
			try {
				input.run();
				return true;
			}
			catch (MessageNotReadyException ex) {
				return false;
			}
		});
		return waiting.isEmpty();
	}

	private Outcome outcome(Outcome expected, Names names, PublishedEvents events) {
		Map<String, Map<String, Integer>> stock = new LinkedHashMap<>();
		expected.stock().keySet().forEach((product) -> {
			Stock current = this.inventory.stockOf(new ProductId(names.id(product))).orElseThrow();
			stock.put(product, Map.of("available", current.available(), "reserved", current.reserved()));
		});
		Map<String, String> reservations = new LinkedHashMap<>();
		expected.reservations()
			.keySet()
			.forEach((order) -> reservations.put(order,
					this.jdbc.sql("SELECT status FROM inventory.reservations WHERE order_id = ?")
						.param(names.id(order))
						.query(String.class)
						.optional()
						.orElse("NONE")));
		List<Map<String, Map<String, Object>>> published = new ArrayList<>();
		events.ofType(IntegrationEvent.class).forEach((event) -> published.add(published(event, names)));
		return new Outcome(published, stock, reservations);
	}

	/** An event the module published, as the scenarios write it. */
	private static Map<String, Map<String, Object>> published(IntegrationEvent event, Names names) {
		return switch (event) {
			case StockReserved reserved -> Map.of("StockReserved",
					Map.of("order", names.name(reserved.orderId().value()), "lines", lines(reserved.lines(), names)));
			case StockReleased released -> Map.of("StockReleased",
					Map.of("order", names.name(released.orderId().value()), "lines", lines(released.lines(), names)));
			case StockShortage shortage -> Map.of("StockShortage",
					Map.of("order", names.name(shortage.orderId().value()), "product",
							names.name(shortage.productId().value()), "requested", shortage.requested(), "available",
							shortage.available()));
			case StockAdjusted adjusted ->
				Map.of("StockAdjusted", Map.of("product", names.name(adjusted.productId().value()),
						"previouslyAvailable", adjusted.previouslyAvailable(), "available", adjusted.available()));
			default -> Map.of(event.getClass().getSimpleName(), Map.of());
		};
	}

	private static Map<String, Integer> lines(List<StockLine> lines, Names names) {
		Map<String, Integer> named = new LinkedHashMap<>();
		lines.forEach((line) -> named.put(names.name(line.productId().value()), line.quantity()));
		return named;
	}

}
