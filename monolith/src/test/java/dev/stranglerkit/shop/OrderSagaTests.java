package dev.stranglerkit.shop;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The saga's three outcomes, end to end through the HTTP API of the running monolith,
 * with the invariants of the map checked for each order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderSagaTests {

	static final String APPROVED_CARD = "4242424242424242";

	static final String DECLINED_CARD = "4000000000000002";

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	Http http;

	@BeforeEach
	void connect() {
		this.http = new Http("http://127.0.0.1:" + this.port);
	}

	@Test
	void confirmsOrderWhenStockIsThereAndCardIsApproved() {
		UUID product = ShopFixtures.productWithStock(this.http, "29.50", 10);

		JsonNode order = placeAndAwaitEnd(product, 3, APPROVED_CARD);

		assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
		assertSteps(order, "RESERVE_STOCK StockReserved", "CHARGE_PAYMENT PaymentCompleted");
		assertThat(order.get("total").decimalValue()).isEqualByComparingTo("88.50");
		assertThat(order.get("reason").isNull()).isTrue();
		assertStock(product, 7, 0);
		JsonNode payments = this.http.get("/api/payments?orderId=" + order.get("id").asString()).json();
		assertThat(payments).hasSize(1);
		assertThat(payments.get(0).get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(payments.get(0).get("amount").decimalValue()).isEqualByComparingTo("88.50");
		assertNotifiedOnce(order, "ORDER_CONFIRMED");
	}

	@Test
	void cancelsOrderAndReleasesStockWhenPaymentDeclined() {
		UUID product = ShopFixtures.productWithStock(this.http, "12.00", 10);

		JsonNode order = placeAndAwaitEnd(product, 4, DECLINED_CARD);

		assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(order.get("reason").asString()).contains("declined");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertStock(product, 10, 0));
		// (choreographed, the release follows the cancellation: its answer may come
		// later)
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertSteps(order, "RESERVE_STOCK StockReserved", "CHARGE_PAYMENT PaymentFailed",
					"RELEASE_STOCK StockReleased"));
		JsonNode payments = this.http.get("/api/payments?orderId=" + order.get("id").asString()).json();
		assertThat(payments).hasSize(1);
		assertThat(payments.get(0).get("status").asString()).isEqualTo("DECLINED");
		assertNotifiedOnce(order, "ORDER_CANCELLED");
	}

	@Test
	void cancelsOrderWithoutPaymentWhenStockIsShort() {
		UUID product = ShopFixtures.productWithStock(this.http, "5.00", 2);

		JsonNode order = placeAndAwaitEnd(product, 3, APPROVED_CARD);

		assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(order.get("reason").asString()).contains("Not enough stock").contains("3 requested, 2 available");
		assertSteps(order, "RESERVE_STOCK StockShortage");
		assertStock(product, 2, 0);
		assertThat(this.http.get("/api/payments?orderId=" + order.get("id").asString()).json()).isEmpty();
		assertNotifiedOnce(order, "ORDER_CANCELLED");
	}

	@Test
	void conservesStockAcrossManyConcurrentOrders() {
		UUID product = ShopFixtures.productWithStock(this.http, "1.00", 20);
		int orders = 30;
		java.util.List<String> locations = java.util.stream.IntStream.range(0, orders)
			.parallel()
			.mapToObj((i) -> place(product, 1, (i % 3 == 0) ? DECLINED_CARD : APPROVED_CARD).location())
			.toList();

		java.util.List<JsonNode> ended = locations.stream().map(this::awaitEnd).toList();

		long confirmed = ended.stream().filter((o) -> o.get("status").asString().equals("CONFIRMED")).count();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertStock(product, 20 - (int) confirmed, 0));
		assertThat(confirmed).isBetween(1L, 20L);
		for (JsonNode order : ended) {
			boolean isConfirmed = order.get("status").asString().equals("CONFIRMED");
			JsonNode payments = this.http.get("/api/payments?orderId=" + order.get("id").asString()).json();
			long succeeded = java.util.stream.StreamSupport.stream(payments.spliterator(), false)
				.filter((p) -> p.get("status").asString().equals("SUCCEEDED"))
				.count();
			assertThat(succeeded).isEqualTo(isConfirmed ? 1 : 0);
			assertNotifiedOnce(order, isConfirmed ? "ORDER_CONFIRMED" : "ORDER_CANCELLED");
		}
	}

	@Test
	void recordsEachSagasOutcomeAndDurationOnceCommitted() {
		UUID product = ShopFixtures.productWithStock(this.http, "3.00", 10);
		long confirmedBefore = sagas("confirmed");
		long cancelledBefore = sagas("cancelled");

		placeAndAwaitEnd(product, 1, APPROVED_CARD);
		placeAndAwaitEnd(product, 1, DECLINED_CARD);

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(sagas("confirmed") - confirmedBefore).isEqualTo(1));
		assertThat(sagas("cancelled") - cancelledBefore).isEqualTo(1);
		assertThat(this.meters.get("shop.orders.saga").tag("outcome", "confirmed").timer().max(TimeUnit.MILLISECONDS))
			.as("placed to confirmed takes some time, and less than the test's wait")
			.isPositive()
			.isLessThan(30_000);
		// the actuator's endpoints but health are the operators'
		assertThat(this.http.get("/actuator/prometheus").status()).isEqualTo(401);
		assertThat(this.http.getAsOperator("/actuator/prometheus").body())
			.contains("shop_orders_saga_seconds_bucket{outcome=\"confirmed\"");
	}

	@Test
	void anUnknownOrdersSagaIsNotFound() {
		Http.Response missing = this.http.get("/api/orders/" + UUID.randomUUID() + "/saga");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.body()).contains("No order with id").doesNotContain("Exception");
	}

	/**
	 * @return the style every order of this test's monolith follows
	 * ({@code shop.saga.style})
	 */
	String style() {
		return "CHOREOGRAPHY";
	}

	/**
	 * The order's saga ({@code GET /api/orders/{id}/saga}) is in this test's style and
	 * has taken these steps, each answered as given, in this order, each answered after
	 * it was sent.
	 */
	void assertSteps(JsonNode order, String... stepsAndAnswers) {
		JsonNode saga = this.http.get("/api/orders/" + order.get("id").asString() + "/saga").json();
		assertThat(saga.get("style").asString()).isEqualTo(style());
		assertThat(saga.get("status").asString()).isEqualTo(order.get("status").asString());
		java.util.List<String> taken = new java.util.ArrayList<>();
		for (JsonNode step : saga.get("steps")) {
			taken.add(step.get("step").asString() + " " + step.get("answer").asString(""));
			assertThat(java.time.Instant.parse(step.get("answeredAt").asString()))
				.as("%s answered after it was sent", step.get("step"))
				.isAfterOrEqualTo(java.time.Instant.parse(step.get("sentAt").asString()));
			assertThat(step.get("attempts").isNull()).as("attempts only where commands are sent")
				.isEqualTo(style().equals("CHOREOGRAPHY"));
		}
		assertThat(taken).containsExactly(stepsAndAnswers);
	}

	private long sagas(String outcome) {
		Timer timer = this.meters.find("shop.orders.saga").tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private JsonNode placeAndAwaitEnd(UUID product, int quantity, String card) {
		Http.Response accepted = place(product, quantity, card);
		JsonNode pending = accepted.json();
		assertThat(pending.get("status").asString()).isEqualTo("PENDING");
		return awaitEnd(accepted.location());
	}

	private Http.Response place(UUID product, int quantity, String card) {
		Http.Response accepted = this.http.post("/api/orders", """
				{"customerId": "c-1", "card": "%s", "lines": [{"productId": "%s", "quantity": %d}]}""".formatted(card,
				product, quantity));
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		assertThat(accepted.location()).startsWith("/api/orders/");
		return accepted;
	}

	private JsonNode awaitEnd(String location) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.http.get(location).json(), (order) -> !order.get("status").asString().equals("PENDING"));
	}

	private void assertStock(UUID product, int available, int reserved) {
		JsonNode stock = this.http.get("/api/inventory/" + product).json();
		assertThat(stock.get("available").asInt()).as("available").isEqualTo(available);
		assertThat(stock.get("reserved").asInt()).as("reserved").isEqualTo(reserved);
	}

	private void assertNotifiedOnce(JsonNode order, String kind) {
		String orderId = order.get("id").asString();
		JsonNode notifications = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.http.get("/api/notifications?orderId=" + orderId).json(), (n) -> n.size() > 0);
		assertThat(notifications).hasSize(1);
		assertThat(notifications.get(0).get("kind").asString()).isEqualTo(kind);
	}

}
