package dev.stranglerkit.shop;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes sent with an {@code Idempotency-Key}: a retry gets the first answer and never
 * causes a second effect, whatever the timing; a key misused is a problem that changes
 * nothing. Each test counts what the shop stored, not calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotentWritesTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Http http;

	@BeforeEach
	void connect() {
		this.http = new Http("http://127.0.0.1:" + this.port);
	}

	@Test
	void aRetriedOrderGetsTheSameAnswerAndPlacesOneOrder() {
		UUID product = ShopFixtures.productWithStock(this.http, "4.20", 10);
		String customer = newCustomer();
		String key = UUID.randomUUID().toString();

		Http.Response first = placeOrder(key, customer, product, 2);
		Http.Response retry = placeOrder(key, customer, product, 2);

		assertThat(first.status()).as(first.body()).isEqualTo(202);
		assertThat(first.location()).startsWith("/api/orders/");
		assertThat(retry.status()).isEqualTo(first.status());
		assertThat(retry.location()).isEqualTo(first.location());
		assertThat(retry.contentType()).isEqualTo(first.contentType());
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(ordersOf(customer)).isEqualTo(1);
		String orderId = first.json().get("id").asString();
		assertThat(placedEventsOf(orderId)).as("OrderPlaced events published").isEqualTo(1);
		// the order is the one the answer names, and its saga runs once
		assertThat(this.http.get(first.location()).json().get("id").asString()).isEqualTo(orderId);
	}

	@Test
	void theSameKeyWithAnotherBodyIsRejectedAndChangesNothing() {
		UUID product = ShopFixtures.productWithStock(this.http, "4.20", 10);
		String customer = newCustomer();
		String key = UUID.randomUUID().toString();
		assertThat(placeOrder(key, customer, product, 1).status()).isEqualTo(202);

		Http.Response otherBody = placeOrder(key, customer, product, 5);
		Http.Response otherPath = this.http.post("/api/catalog/products", """
				{"name": "Reused key", "price": 1.00}""", Map.of("Idempotency-Key", key));

		assertProblem(otherBody, 422, "Idempotency-Key '" + key + "' was already used with a different request body");
		assertProblem(otherPath, 422, "Idempotency-Key '" + key + "' was already used for POST /api/orders");
		assertThat(ordersOf(customer)).isEqualTo(1);
		assertThat(productsNamed("Reused key")).isZero();
	}

	@Test
	void concurrentRequestsWithOneKeyPlaceOneOrderAndAllGetItsAnswer() {
		UUID product = ShopFixtures.productWithStock(this.http, "4.20", 100);
		String customer = newCustomer();
		String key = UUID.randomUUID().toString();
		Phaser start = new Phaser(6);

		List<Http.Response> answers;
		try (ExecutorService clients = Executors.newFixedThreadPool(6)) {
			List<CompletableFuture<Http.Response>> sent = IntStream.range(0, 6)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> {
					start.arriveAndAwaitAdvance(); // all six go at once
					return placeOrder(key, customer, product, 1);
				}, clients))
				.toList();
			answers = sent.stream().map(CompletableFuture::join).toList();
		}

		// the later ones waited for the first and got its answer
		assertThat(answers).extracting(Http.Response::status).containsOnly(202);
		assertThat(answers).extracting(Http.Response::location).hasSize(6).containsOnly(answers.get(0).location());
		assertThat(ordersOf(customer)).isEqualTo(1);
	}

	@Test
	void aBlankOrTooLongKeyIsRejectedAndChangesNothing() {
		UUID product = ShopFixtures.productWithStock(this.http, "4.20", 10);
		String customer = newCustomer();

		assertProblem(placeOrder(" ", customer, product, 1), 400, "Idempotency-Key header must be 1 to 255 characters");
		assertProblem(placeOrder("k".repeat(256), customer, product, 1), 400,
				"Idempotency-Key header must be 1 to 255 characters");
		String longest = UUID.randomUUID() + "k".repeat(255 - 36);
		assertThat(placeOrder(longest, customer, product, 1).status()).isEqualTo(202);
		assertThat(ordersOf(customer)).isEqualTo(1);
	}

	@Test
	void aWriteThatChangedNothingLeavesItsKeyFree() {
		// an unknown product: the order service rolls back, so does the key's record
		UUID product = ShopFixtures.productWithStock(this.http, "4.20", 10);
		String customer = newCustomer();
		String key = UUID.randomUUID().toString();

		Http.Response unknown = placeOrder(key, customer, UUID.randomUUID(), 1);
		Http.Response corrected = placeOrder(key, customer, product, 1);

		assertProblem(unknown, 422, "Unknown product");
		assertThat(corrected.status()).as(corrected.body()).isEqualTo(202);
		assertThat(placeOrder(key, customer, product, 1).location()).isEqualTo(corrected.location());
		assertThat(ordersOf(customer)).isEqualTo(1);
	}

	@Test
	void aRetriedProductGetsTheSameAnswerAndAddsOneProduct() {
		String name = "Idempotent product " + UUID.randomUUID();
		String body = """
				{"name": "%s", "price": 2.75}""".formatted(name);
		Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

		Http.Response first = this.http.post("/api/catalog/products", body, key);
		Http.Response retry = this.http.post("/api/catalog/products", body, key);

		assertThat(first.status()).as(first.body()).isEqualTo(201);
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.location()).isEqualTo(first.location()).startsWith("/api/catalog/products/");
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(productsNamed(name)).isEqualTo(1);
	}

	@Test
	void withoutAKeyEveryRequestIsANewOne() {
		UUID product = ShopFixtures.productWithStock(this.http, "4.20", 10);
		String customer = newCustomer();
		String body = orderBody(customer, product, 1);

		Http.Response first = this.http.post("/api/orders", body);
		Http.Response second = this.http.post("/api/orders", body);

		assertThat(first.status()).isEqualTo(202);
		assertThat(second.status()).isEqualTo(202);
		assertThat(second.location()).isNotEqualTo(first.location());
		assertThat(ordersOf(customer)).isEqualTo(2);
	}

	private Http.Response placeOrder(String key, String customer, UUID product, int quantity) {
		return this.http.post("/api/orders", orderBody(customer, product, quantity), Map.of("Idempotency-Key", key));
	}

	private static String orderBody(String customer, UUID product, int quantity) {
		return """
				{"customerId": "%s", "card": "%s", "lines": [{"productId": "%s", "quantity": %d}]}"""
			.formatted(customer, OrderSagaTests.APPROVED_CARD, product, quantity);
	}

	private static String newCustomer() {
		return "idempotent-" + UUID.randomUUID();
	}

	private long ordersOf(String customer) {
		return count("SELECT count(*) FROM orders.orders WHERE customer_id = ?", customer);
	}

	private long productsNamed(String name) {
		return count("SELECT count(*) FROM catalog.products WHERE name = ?", name);
	}

	private long count(String query, String value) {
		return this.jdbc.sql(query).param(value).query(Long.class).single();
	}

	private long placedEventsOf(String orderId) {
		// one publication per listener of the one event
		return this.jdbc.sql("""
				SELECT count(DISTINCT serialized_event) FROM event_publication
				WHERE event_type = ? AND serialized_event LIKE ?""")
			.params(dev.stranglerkit.shop.orders.OrderPlaced.class.getName(), "%" + orderId + "%")
			.query(Long.class)
			.single();
	}

	private static void assertProblem(Http.Response response, int status, String detail) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).contains(detail);
		assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
	}

}
