package dev.stranglerkit.inventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stranglerkit.inventory.internal.InventoryService;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service fed the way the landscape feeds it: the contract samples of
 * {@code contracts/events/} (with fresh ids) on the real RabbitMQ, its own PostgreSQL
 * database, read back over HTTP. The inventory was handed to the service at the start of
 * 2026 in this test's configuration, so an order placed before that (a message's
 * {@code occurredAt}) is the monolith's to decide and the service follows it; an order
 * placed now is the service's own, and what it publishes must match the contracts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"kit.config-import=file:../../config-repo/application.yml,file:../../config-repo/inventory-service.yml",
		"spring.cloud.config.enabled=false", "spring.cloud.bus.enabled=false", "eureka.client.enabled=false",
		"spring.datasource.url=" + InventoryServiceTests.DATABASE,
		"spring.rabbitmq.virtual-host=${SHOP_TEST_RABBIT_VHOST:shop_test}", "inventory.backfill.enabled=false",
		// an exchange and queues of the tests' own, so that no other test sees this
		// traffic
		"kit.messaging.exchange=" + InventoryServiceTests.EXCHANGE, "kit.messaging.consumer.queue=inventory-tests",
		"kit.messaging.subscriptions.inventory-service=", "kit.messaging.subscriptions.notification-service=",
		"kit.messaging.subscriptions.monolith=",
		"kit.messaging.subscriptions.inventory-tests=catalog.ProductAdded,orders.OrderPlaced,orders.OrderConfirmed,orders.OrderCancelled,inventory.#",
		"kit.messaging.subscriptions.inventory-tests-tap=inventory.#",
		"kit.ownership.inventory[0]=" + InventoryServiceTests.HANDOFF + "=service" })
class InventoryServiceTests {

	static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/inventory_service_test";

	static final String EXCHANGE = "inventory-tests.events";

	static final String HANDOFF = "2026-01-01T00:00:00Z";

	/** the monolith's time: before the handoff */
	static final Instant BEFORE = Instant.parse("2025-12-31T12:00:00Z");

	static final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	int port;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	InventoryService inventory;

	@Autowired
	MeterRegistry meters;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/**
	 * Each run starts from empty tables and queues, so that no earlier run's order awaits
	 * a decision.
	 */
	@BeforeAll
	static void emptyTablesAndQueues() throws SQLException {
		CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1");
		broker.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		RabbitAdmin admin = new RabbitAdmin(broker);
		for (String queue : List.of("inventory-tests", "inventory-tests.wait", "inventory-tests.retry",
				"inventory-tests.dlq", "inventory-tests-tap")) {
			admin.deleteQueue(queue);
		}
		broker.destroy();
		try (Connection connection = DriverManager.getConnection(DATABASE, "postgres", "")) {
			connection.createStatement()
				.execute("DO $$ BEGIN IF to_regclass('inventory.stock') IS NOT NULL THEN "
						+ "TRUNCATE inventory.stock, inventory.reservations, inventory.reservation_lines, inventory.awaited_lines, inventory.adjustments; "
						+ "END IF; END $$");
		}
	}

	@BeforeEach
	void emptyTheTap() {
		new RabbitAdmin(this.rabbit.getConnectionFactory()).purgeQueue("inventory-tests-tap", false);
	}

	/**
	 * The inventory's paths answer as the monolith's do: the same operations, parameters,
	 * bodies and responses as its contract ({@code contracts/openapi/monolith.json},
	 * which the monolith's ApiContractTests hold it to), so that a client sees no
	 * difference when the gateway moves the route.
	 */
	@Test
	void answersTheMonolithsApiForTheInventory() throws Exception {
		HttpResponse<String> docs = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v3/api-docs/inventory-service"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(ApiContract.operations(docs.body(), "/api/")).isEqualTo(ApiContract.operations(
				java.nio.file.Files.readString(java.nio.file.Path.of("../../contracts/openapi/monolith.json")),
				"/api/inventory"));
	}

	@Test
	void followsTheMonolithsDecisionsWhateverOrderTheyArriveIn() throws Exception {
		UUID product = trackedProduct();
		UUID confirmed = UUID.randomUUID();
		UUID cancelled = UUID.randomUUID();
		UUID early = UUID.randomUUID();
		String adjustment = message("inventory.StockAdjusted", "monolith", BEFORE,
				(p) -> p.put("productId", product.toString()).put("previouslyAvailable", 0).put("available", 10));
		send(adjustment);
		send(adjustment);
		send(message("orders.OrderPlaced", "monolith", BEFORE, (p) -> order(p, confirmed, product, 3)));
		send(message("inventory.StockReserved", "monolith", BEFORE, (p) -> order(p, confirmed, product, 3)));
		send(message("orders.OrderConfirmed", "monolith", BEFORE, (p) -> p.put("orderId", confirmed.toString())));
		send(message("orders.OrderPlaced", "monolith", BEFORE, (p) -> order(p, cancelled, product, 2)));
		send(message("inventory.StockReserved", "monolith", BEFORE, (p) -> order(p, cancelled, product, 2)));
		send(message("orders.OrderCancelled", "monolith", BEFORE, (p) -> p.put("orderId", cancelled.toString())));
		// a confirmation that overtook its reservation waits for it
		double deferred = this.meters.get("kit.messaging.deferred").counter().count();
		send(message("orders.OrderConfirmed", "monolith", BEFORE, (p) -> p.put("orderId", early.toString())));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.meters.get("kit.messaging.deferred").counter().count() > deferred);
		send(message("inventory.StockReserved", "monolith", BEFORE, (p) -> order(p, early, product, 4)));

		await().atMost(Duration.ofSeconds(20)).until(() -> stock(product).equals(new Stock(product, 3, 0)));
		assertThat(published(Duration.ofSeconds(1))).as("a follower publishes nothing").isEmpty();
	}

	/**
	 * An order's own message and its owner's decision, handled at the same moment by the
	 * two consumers: the decision is applied once, whichever transaction commits first.
	 */
	@Test
	void appliesADecisionThatRacesItsOrdersMessage() throws Exception {
		UUID product = trackedProduct();
		this.inventory.adjustedByOwner(UUID.randomUUID(), new ProductId(product), 0, 100);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int i = 0; i < 25; i++) {
				UUID order = UUID.randomUUID();
				List<StockLine> lines = List.of(new StockLine(new ProductId(product), 1));
				CyclicBarrier together = new CyclicBarrier(2);
				Future<?> placed = threads.submit(() -> {
					together.await();
					this.inventory.orderPlaced(new OrderId(order), BEFORE, lines);
					return null;
				});
				Future<?> decided = threads.submit(() -> {
					together.await();
					this.inventory.reservedByOwner(new OrderId(order), lines);
					return null;
				});
				placed.get();
				decided.get();
			}
		}
		finally {
			threads.shutdown();
		}
		assertThat(stock(product)).isEqualTo(new Stock(product, 75, 25));
	}

	@Test
	void decidesTheOrdersPlacedInItsOwnTimeAndPublishesWhatTheContractsSay() throws Exception {
		UUID product = trackedProduct();
		UUID reserved = UUID.randomUUID();
		UUID short_ = UUID.randomUUID();

		HttpResponse<String> set = send("PUT", "/api/inventory/" + product, "{\"available\": 5}");
		assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
		send(message("orders.OrderPlaced", "monolith", Instant.now(), (p) -> order(p, reserved, product, 2)));
		await().atMost(Duration.ofSeconds(15)).until(() -> stock(product).equals(new Stock(product, 3, 2)));
		send(message("orders.OrderPlaced", "monolith", Instant.now(), (p) -> order(p, short_, product, 9)));
		send(message("orders.OrderCancelled", "monolith", Instant.now(), (p) -> p.put("orderId", short_.toString())));
		send(message("orders.OrderCancelled", "monolith", Instant.now(), (p) -> p.put("orderId", reserved.toString())));
		await().atMost(Duration.ofSeconds(15)).until(() -> stock(product).equals(new Stock(product, 5, 0)));

		List<JsonNode> sent = published(Duration.ofSeconds(3));
		assertThat(sent).extracting((m) -> m.path("type").asText())
			.containsExactlyInAnyOrder("inventory.StockAdjusted", "inventory.StockReserved", "inventory.StockShortage",
					"inventory.StockReleased");
		for (JsonNode message : sent) {
			assertThat(message.path("source").asText()).isEqualTo("inventory-service");
			assertThat(Contracts.violations(message.path("type").asText(), message.toString())).as(message.toString())
				.isEmpty();
		}
		JsonNode shortage = sent.stream()
			.filter((m) -> m.path("type").asText().equals("inventory.StockShortage"))
			.findFirst()
			.orElseThrow();
		assertThat(shortage.path("payload").path("requested").asInt()).isEqualTo(9);
		assertThat(shortage.path("payload").path("available").asInt()).isEqualTo(3);
	}

	/**
	 * An order of the monolith's time whose decision has not come (the monolith is down,
	 * say): reported overdue, its stock kept back, and the service's own orders decided
	 * meanwhile; the decision, when it comes, finds its stock.
	 */
	@Test
	void anOrderStillAwaitingThePreviousOwnerKeepsItsStockBackAndBlocksNoOther() throws Exception {
		UUID product = trackedProduct();
		this.inventory.adjustedByOwner(UUID.randomUUID(), new ProductId(product), 0, 10);
		double overdue = overdue();
		UUID stranded = UUID.randomUUID();
		send(message("orders.OrderPlaced", "monolith", BEFORE, (p) -> order(p, stranded, product, 4)));
		await().atMost(Duration.ofSeconds(15)).until(() -> overdue() == overdue + 1);

		UUID later = UUID.randomUUID();
		send(message("orders.OrderPlaced", "monolith", Instant.now(), (p) -> order(p, later, product, 6)));
		await().atMost(Duration.ofSeconds(15)).until(() -> stock(product).equals(new Stock(product, 4, 6)));

		send(message("inventory.StockReserved", "monolith", BEFORE, (p) -> order(p, stranded, product, 4)));
		await().atMost(Duration.ofSeconds(15)).until(() -> stock(product).equals(new Stock(product, 0, 10)));
		assertThat(overdue()).isEqualTo(overdue);
	}

	private double overdue() {
		return this.meters.get("kit.ownership.overdue.decisions").tag("module", "inventory").gauge().value();
	}

	@Test
	void answersBadRequestsWithProblemsAndChangesNothing() throws Exception {
		UUID product = trackedProduct();
		HttpResponse<String> unknown = send("GET", "/api/inventory/" + UUID.randomUUID(), null);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		HttpResponse<String> negative = send("PUT", "/api/inventory/" + product, "{\"available\": -1}");
		assertThat(negative.statusCode()).isEqualTo(422);
		assertThat(negative.body()).contains("available").doesNotContain("Exception");
		HttpResponse<String> malformed = send("PUT", "/api/inventory/" + product, "{\"available\": ");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(stock(product)).isEqualTo(new Stock(product, 0, 0));
	}

	private UUID trackedProduct() {
		UUID product = UUID.randomUUID();
		send(message("catalog.ProductAdded", "monolith", BEFORE, (p) -> p.put("productId", product.toString())));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> send("GET", "/api/inventory/" + product, null).statusCode() == 200);
		return product;
	}

	private static void order(ObjectNode payload, UUID order, UUID product, int quantity) {
		payload.put("orderId", order.toString());
		((ObjectNode) payload.withArray("lines").get(0)).put("productId", product.toString()).put("quantity", quantity);
	}

	/**
	 * A contract sample with a fresh message id, and the source, time and payload given.
	 */
	private static String message(String type, String source, Instant occurredAt,
			java.util.function.Consumer<ObjectNode> payload) {
		try {
			ObjectNode message = (ObjectNode) json.readTree(Contracts.sample(type));
			message.put("messageId", UUID.randomUUID().toString())
				.put("source", source)
				.put("occurredAt", occurredAt.toString());
			payload.accept((ObjectNode) message.get("payload"));
			return message.toString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void send(String message) {
		try {
			JsonNode tree = json.readTree(message);
			this.rabbit.send(EXCHANGE, tree.path("type").asText(),
					MessageBuilder.withBody(message.getBytes())
						.setContentType("application/json")
						.setMessageId(tree.path("messageId").asText())
						.setType(tree.path("type").asText())
						.build());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private List<JsonNode> published(Duration quiet) throws Exception {
		List<JsonNode> messages = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive("inventory-tests-tap", quiet.toMillis())) != null) {
			JsonNode tree = json.readTree(message.getBody());
			if (tree.path("source").asText().equals("inventory-service")) {
				messages.add(tree);
			}
		}
		return messages;
	}

	private Stock stock(UUID product) throws Exception {
		HttpResponse<String> response = send("GET", "/api/inventory/" + product, null);
		JsonNode body = json.readTree(response.body());
		return new Stock(UUID.fromString(body.path("productId").asText()), body.path("available").asInt(),
				body.path("reserved").asInt());
	}

	private HttpResponse<String> send(String method, String path, String body) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(10));
			if (body != null) {
				request.header("Content-Type", "application/json");
			}
			return this.http
				.send(request
					.method(method,
							(body != null) ? HttpRequest.BodyPublishers.ofString(body)
									: HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The stock of one product, as {@code GET /api/inventory/{productId}} shows it. */
	record Stock(UUID productId, int available, int reserved) {
	}

}
