package dev.stranglerkit.inventory;

import java.io.IOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.inventory.BehaviourScenario.Names;
import dev.stranglerkit.inventory.BehaviourScenario.Outcome;
import dev.stranglerkit.inventory.BehaviourScenario.Step;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.ownership.OwnershipProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service does what {@code contracts/behaviour/inventory/} says, the same scenarios
 * the monolith's inventory module runs (its {@code InventoryBehaviourTests}), so that the
 * two cannot drift apart unseen. Each input is a message on the real RabbitMQ, made from
 * its contract sample and sent as the monolith would send it, or a request to the
 * service's API; the kit's consumer hands a message that is not ready over again until it
 * is applied. What the service published (read from a tap of its own), its stock (over
 * HTTP) and its reservations are then compared with the scenario's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = {
				"kit.config-import=file:../../config-repo/application.yml,file:../../config-repo/inventory-service.yml",
				"spring.cloud.config.enabled=false", "spring.cloud.bus.enabled=false", "eureka.client.enabled=false",
				"spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + InventoryBehaviourTests.DATABASE,
				"inventory.backfill.enabled=false", "spring.rabbitmq.virtual-host=${SHOP_TEST_RABBIT_VHOST:shop_test}",
				// a database, an exchange and queues of this test's own
				"kit.messaging.exchange=inventory-behaviour-tests.events",
				"kit.messaging.consumer.queue=" + InventoryBehaviourTests.QUEUE,
				"kit.messaging.subscriptions.inventory-service=", "kit.messaging.subscriptions.notification-service=",
				"kit.messaging.subscriptions.monolith=",
				"kit.messaging.subscriptions." + InventoryBehaviourTests.QUEUE
						+ "=catalog.ProductAdded,orders.OrderPlaced,orders.OrderConfirmed,orders.OrderCancelled,"
						+ "orders.ReserveStock,orders.ReleaseStock,inventory.#",
				"kit.messaging.subscriptions." + InventoryBehaviourTests.TAP + "=inventory.#" })
class InventoryBehaviourTests {

	static final String DATABASE = "inventory_behaviour_test";

	static final String QUEUE = "inventory-behaviour-tests";

	static final String TAP = "inventory-behaviour-tests-tap";

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	OwnershipProperties ownership;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** Each run starts from an empty database and queues. */
	@BeforeAll
	static void aDatabaseAndQueuesOfItsOwn() throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
				"postgres", "")) {
			connection.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
			connection.createStatement().execute("CREATE DATABASE " + DATABASE);
		}
		CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1");
		broker.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		RabbitAdmin admin = new RabbitAdmin(broker);
		List.of(QUEUE, QUEUE + ".wait", QUEUE + ".retry", QUEUE + ".dlq", TAP).forEach(admin::deleteQueue);
		broker.destroy();
	}

	static List<String> scenarios() throws IOException {
		return BehaviourScenario.files();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void decidesAsTheScenarioSays(String file) throws IOException {
		BehaviourScenario scenario = BehaviourScenario.read(file);
		Names names = new Names();
		new RabbitAdmin(this.rabbit.getConnectionFactory()).purgeQueue(TAP, false);
		List<String> known = new ArrayList<>();
		scenario.stock().forEach((product, available) -> {
			known.add(send(new Step("ProductAdded", Map.of("product", product)), names, Instant.now()));
			known.add(send(
					new Step("StockAdjusted",
							Map.of("product", product, "previouslyAvailable", 0, "available", available)),
					names, Instant.now()));
		});
		await().atMost(Duration.ofSeconds(20)).until(() -> known.stream().allMatch(this::processed));
		Map<String, List<String>> handoffs = this.ownership.handoffs();
		Duration settle = this.ownership.getSettle();
		try {
			Instant start = Instant.now();
			Map<String, List<String>> scenarioHandoffs = new HashMap<>(handoffs);
			scenarioHandoffs.put("inventory", scenario.handoffs(start, Owner.SERVICE.value(), Owner.MONOLITH.value()));
			this.ownership.setModules(scenarioHandoffs);
			scenario.settleTime().ifPresent(this.ownership::setSettle);
			for (Step step : scenario.inputs()) {
				hand(step, names, start);
			}
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Outcome outcome = state(scenario.expect(), names);
				assertThat(outcome.stock()).as(file + ": stock").isEqualTo(scenario.expect().stock());
				assertThat(outcome.reservations()).as(file + ": reservations")
					.isEqualTo(scenario.expect().reservations());
			});
			assertThat(published(names)).as(file + ": published")
				.containsExactlyInAnyOrderElementsOf(scenario.expect().published());
		}
		finally {
			this.ownership.setModules(handoffs);
			this.ownership.setSettle(settle);
		}
	}

	/**
	 * Hands an input over and waits for what the scenario says happens to it when it
	 * arrives.
	 */
	private void hand(Step step, Names names, Instant start) {
		if (step.input().equals("AdjustStock")) {
			HttpResponse<String> response = http("PUT", "/api/inventory/" + names.id(step.name("product")),
					"{\"available\": " + step.number("available") + "}");
			assertThat(response.statusCode()).as(step + ": " + response.body())
				.isEqualTo(step.then().equals("refused") ? 409 : 200);
			return;
		}
		double deferred = this.meters.get("kit.messaging.deferred").tag("queue", QUEUE).counter().count();
		String message = send(step, names, step.at(start));
		if (step.then().equals("waits")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.meters.get("kit.messaging.deferred")
					.tag("queue", QUEUE)
					.counter()
					.count() > deferred);
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !processed(message));
		}
		else {
			await().alias(step.toString()).atMost(Duration.ofSeconds(15)).until(() -> processed(message));
		}
	}

	/**
	 * Sends an input as the monolith would: its contract sample with the step's fields.
	 * @return the message id
	 */
	private String send(Step step, Names names, Instant occurredAt) {
		String type = switch (step.input()) {
			case "ProductAdded" -> "catalog." + step.input();
			case "OrderPlaced", "OrderConfirmed", "OrderCancelled", "ReserveStock", "ReleaseStock" ->
				"orders." + step.input();
			default -> "inventory." + step.input();
		};
		ObjectNode message = (ObjectNode) json.readTree(Contracts.sample(type));
		String id = (step.name("id") != null) ? names.id(step.name("id")).toString() : UUID.randomUUID().toString();
		message.put("messageId", id).put("source", "monolith").put("occurredAt", occurredAt.toString());
		ObjectNode payload = (ObjectNode) message.get("payload");
		if (payload.has("placedAt")) {
			// a command to reserve: decided for the time its order was placed
			payload.put("placedAt", occurredAt.toString());
		}
		step.fields().forEach((field, value) -> {
			switch (field) {
				case "order" -> payload.put("orderId", names.id((String) value).toString());
				case "product" -> payload.put("productId", names.id((String) value).toString());
				case "lines" -> {
					ObjectNode sample = (ObjectNode) payload.get("lines").get(0);
					payload.putArray("lines")
						.addAll(step.lines()
							.entrySet()
							.stream()
							.map((line) -> sample.deepCopy()
								.put("productId", names.id(line.getKey()).toString())
								.put("quantity", line.getValue()))
							.toList());
				}
				case "at", "then", "id" -> {
				}
				default -> payload.set(field, json.valueToTree(value));
			}
		});
		this.rabbit.send("inventory-behaviour-tests.events", type,
				MessageBuilder.withBody(message.toString().getBytes())
					.setContentType("application/json")
					.setMessageId(id)
					.setType(type)
					.build());
		return id;
	}

	private boolean processed(String message) {
		return this.jdbc.sql("SELECT count(*) FROM kit_processed_message WHERE consumer = ? AND message_id = ?")
			.params(QUEUE, message)
			.query(Long.class)
			.single() > 0;
	}

	private Outcome state(Outcome expected, Names names) {
		Map<String, Map<String, Integer>> stock = new LinkedHashMap<>();
		expected.stock().keySet().forEach((product) -> {
			JsonNode current = json.readTree(http("GET", "/api/inventory/" + names.id(product), null).body());
			stock.put(product, Map.of("available", current.path("available").asInt(), "reserved",
					current.path("reserved").asInt()));
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
		return new Outcome(List.of(), stock, reservations);
	}

	/**
	 * @return what the service published about the scenario's orders and products, as the
	 * scenarios write it, once no more comes
	 */
	private List<Map<String, Map<String, Object>>> published(Names names) {
		List<Map<String, Map<String, Object>>> published = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive(TAP, Duration.ofSeconds(2).toMillis())) != null) {
			JsonNode tree = json.readTree(message.getBody());
			JsonNode payload = tree.path("payload");
			UUID subject = UUID.fromString(
					payload.has("orderId") ? payload.path("orderId").asString() : payload.path("productId").asString());
			if (tree.path("source").asString().equals("inventory-service") && names.named(subject)) {
				Map<String, Object> fields = new LinkedHashMap<>();
				payload.properties()
					.forEach((field) -> fields.put(scenarioField(field.getKey()), switch (field.getKey()) {
						case "orderId", "productId" -> names.name(UUID.fromString(field.getValue().asString()));
						case "lines" -> lines(field.getValue(), names);
						default -> field.getValue().asInt();
					}));
				published.add(Map.of(tree.path("type").asString().substring("inventory.".length()), fields));
			}
		}
		return published;
	}

	private static String scenarioField(String payloadField) {
		return switch (payloadField) {
			case "orderId" -> "order";
			case "productId" -> "product";
			default -> payloadField;
		};
	}

	private static Map<String, Integer> lines(JsonNode lines, Names names) {
		Map<String, Integer> named = new LinkedHashMap<>();
		lines.forEach((line) -> named.put(names.name(UUID.fromString(line.path("productId").asString())),
				line.path("quantity").asInt()));
		return named;
	}

	private HttpResponse<String> http(String method, String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
