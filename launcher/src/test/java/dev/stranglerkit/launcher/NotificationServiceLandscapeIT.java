package dev.stranglerkit.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first extraction, with every application its own process: the monolith owns the
 * notifications, the notification-service follows its events in its own database. The
 * same requests to both get the same answers (the contract test), and the gateway's
 * notifications route moves to shadow (no mismatch), then to the service.
 */
class NotificationServiceLandscapeIT {

	static TestLandscape landscape;

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	static final JsonMapper json = JsonMapper.builder().build();

	static final URI gateway = URI.create("http://127.0.0.1:8080");

	static final URI monolith = URI.create("http://127.0.0.1:8081");

	static final URI service = URI.create("http://127.0.0.1:8083");

	static final String PRODUCT = "00000000-0000-0000-0000-000000000001";

	/** order id -> the status it must end in */
	static final Map<String, String> orders = new LinkedHashMap<>();

	@BeforeAll
	static void startTheLandscapeAndPlaceOrders() throws Exception {
		landscape = new TestLandscape();
		landscape.up(List.of(List.of(landscape.app(Landscape.CONFIG_SERVER)),
				List.of(landscape.app(Landscape.DISCOVERY)), List.of(landscape.app(Landscape.MONOLITH),
						landscape.app("notification-service"), landscape.app(Landscape.GATEWAY))));
		// stock for this run's orders (the tests' database keeps what earlier runs used
		// up)
		HttpResponse<String> stocked = http.send(HttpRequest.newBuilder(gateway.resolve("/api/inventory/" + PRODUCT))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"available\":500}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(stocked.statusCode()).as(stocked.body()).isBetween(200, 204);
		// approved, declined, short (more than the 500 in stock): the three outcomes
		orders.put(place("4242424242424242", 1), "CONFIRMED");
		orders.put(place("4000000000000002", 1), "CANCELLED");
		orders.put(place("4242424242424242", 1000), "CANCELLED");
		for (Map.Entry<String, String> order : orders.entrySet()) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> json.readTree(get(gateway, "/api/orders/" + order.getKey()).body())
					.path("status")
					.asString()
					.equals(order.getValue()));
		}
	}

	@AfterAll
	static void stopTheLandscape() {
		if (landscape != null) {
			landscape.down();
		}
	}

	@Test
	void theServiceAnswersTheSameRequestsAsTheMonolith() throws Exception {
		for (String order : orders.keySet()) {
			String path = "/api/notifications?orderId=" + order;
			// the service follows the monolith's events: it has the notification soon
			// after
			await().atMost(Duration.ofSeconds(15)).until(() -> get(service, path).body().contains("\"kind\""));
			HttpResponse<String> fromMonolith = get(monolith, path);
			HttpResponse<String> fromService = get(service, path);
			assertThat(fromService.statusCode()).isEqualTo(fromMonolith.statusCode()).isEqualTo(200);
			assertThat(fromService.headers().firstValue("Content-Type"))
				.isEqualTo(fromMonolith.headers().firstValue("Content-Type"));
			// the same notification, but for its own id and the moment each recorded it
			assertThat(withoutIdAndTime(fromService.body())).isEqualTo(withoutIdAndTime(fromMonolith.body()));
			assertThat(json.readTree(fromMonolith.body())).hasSize(1);
		}
		for (String bad : List.of("/api/notifications", "/api/notifications?orderId=nope",
				"/api/notifications?orderId=" + UUID.randomUUID())) {
			HttpResponse<String> fromMonolith = get(monolith, bad);
			HttpResponse<String> fromService = get(service, bad);
			assertThat(fromService.statusCode()).as(bad).isEqualTo(fromMonolith.statusCode());
			assertThat(fromService.headers().firstValue("Content-Type")).as(bad)
				.isEqualTo(fromMonolith.headers().firstValue("Content-Type"));
			assertThat(json.readTree(fromService.body())).as(bad).isEqualTo(json.readTree(fromMonolith.body()));
		}
	}

	@Test
	void theNotificationsRouteMovesToShadowWithoutMismatchesThenToTheService() throws Exception {
		String admin = "admin:admin-secret";
		for (String order : orders.keySet()) {
			awaitFollowed(order);
		}
		landscape.route("notifications", "shadow", null);
		new Routes().awaitApplied(gateway, admin, "notifications", Mode.SHADOW, null, Duration.ofSeconds(5));
		for (String order : orders.keySet()) {
			HttpResponse<String> response = get(gateway, "/api/notifications?orderId=" + order);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Served-By")).hasValue("monolith");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> shadowComparisons("match") >= orders.size());
		assertThat(shadowComparisons("mismatch")).isZero();

		landscape.route("notifications", "service", null);
		new Routes().awaitApplied(gateway, admin, "notifications", Mode.SERVICE, null, Duration.ofSeconds(5));
		for (String order : orders.keySet()) {
			HttpResponse<String> response = get(gateway, "/api/notifications?orderId=" + order);
			assertThat(response.headers().firstValue("X-Served-By")).hasValue("notification-service");
			assertThat(withoutIdAndTime(response.body()))
				.isEqualTo(withoutIdAndTime(get(monolith, "/api/notifications?orderId=" + order).body()));
		}
	}

	/**
	 * Ownership moves to the service and back while orders keep coming: every order's
	 * notification is sent exactly once, by the monolith or by the service, whichever
	 * owned the moment its order event happened; none is lost in the handoff and none is
	 * sent twice.
	 */
	@Test
	void aCutoverAndARollbackUnderAStreamOfOrdersSendEveryNotificationExactlyOnce() throws Exception {
		double monolithSent = sent(monolith);
		double serviceSent = sent(service);
		List<String> placed = java.util.Collections.synchronizedList(new ArrayList<>());
		java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
		Thread stream = Thread.ofPlatform().start(() -> {
			int n = 0;
			while (running.get()) {
				try {
					placed.add(place((n++ % 3 == 2) ? "4000000000000002" : "4242424242424242", 1));
					Thread.sleep(150);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		});
		try {
			Cutover cutover = new Cutover(landscape.landscape.configRepo());
			java.time.Instant toService = cutover.move("notifications", "service");
			sleepUntil(toService.plusSeconds(4));
			java.time.Instant back = cutover.move("notifications", "monolith");
			sleepUntil(back.plusSeconds(4));
		}
		finally {
			running.set(false);
			stream.join();
		}
		for (String order : placed) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> json.readTree(get(gateway, "/api/orders/" + order).body())
					.path("status")
					.asString()
					.matches("CONFIRMED|CANCELLED"));
			awaitFollowed(order);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> (sent(monolith) - monolithSent) + (sent(service) - serviceSent) >= placed.size());
		// and no notification is sent twice in the time it would need to show
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.until(() -> (sent(monolith) - monolithSent) + (sent(service) - serviceSent) == placed.size());
		double byMonolith = sent(monolith) - monolithSent;
		double byService = sent(service) - serviceSent;
		System.out.printf("[landscape] cutover under load: %d orders, notifications sent by the monolith %.0f, "
				+ "by the service %.0f%n", placed.size(), byMonolith, byService);
		assertThat(byMonolith + byService).isEqualTo(placed.size());
		assertThat(byService).as("the service sent while it owned the notifications").isPositive();
		assertThat(byMonolith).as("the monolith sent before and after").isPositive();
	}

	/**
	 * {@code ./kit replay}: a dead-lettered order outcome goes back to the service's
	 * queue and is applied; replayed again (dead-lettered once more), it changes nothing.
	 */
	@Test
	void aReplayedDeadLetterIsAppliedOnceHoweverOftenItIsReplayed() throws Exception {
		String order = UUID.randomUUID().toString();
		String messageId = UUID.randomUUID().toString();
		com.rabbitmq.client.ConnectionFactory broker = new com.rabbitmq.client.ConnectionFactory();
		broker.setHost("127.0.0.1");
		broker.setVirtualHost(TestLandscape.VHOST);
		dev.stranglerkit.control.DeadLetters deadLetters = new dev.stranglerkit.control.DeadLetters(broker);
		String confirmed = """
				{"messageId": "%s", "type": "orders.OrderConfirmed", "schemaVersion": 1,
				 "occurredAt": "%s", "source": "monolith", "traceparent": null,
				 "payload": {"orderId": "%s", "customerId": "c-replay", "total": 12.5}}""".formatted(messageId,
				java.time.Instant.now(), order);

		for (int replay = 1; replay <= 2; replay++) {
			// as the broker dead-letters a queue's message: through the dead-letter
			// exchange, with the queue's name as the key
			try (com.rabbitmq.client.Connection connection = broker.newConnection();
					com.rabbitmq.client.Channel channel = connection.createChannel()) {
				channel.basicPublish("shop.events.dlx", "notification-service",
						new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId(messageId)
							.contentType("application/json")
							.type("orders.OrderConfirmed")
							.build(),
						confirmed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			}
			assertThat(deadLetters.replay(List.of("notification-service")))
				.containsExactly(Map.entry("notification-service", 1));
			await().atMost(Duration.ofSeconds(15))
				.until(() -> get(service, "/api/notifications?orderId=" + order).body().contains("\"kind\""));
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> processed(messageId) == 1);
		assertThat(json.readTree(get(service, "/api/notifications?orderId=" + order).body())).as("one notification")
			.hasSize(1);
	}

	private static long processed(String messageId) throws java.sql.SQLException {
		try (java.sql.Connection connection = java.sql.DriverManager
			.getConnection(TestLandscape.jdbc(TestLandscape.DATABASES.get(1)), "postgres", "");
				java.sql.PreparedStatement query = connection
					.prepareStatement("SELECT count(*) FROM kit_processed_message WHERE message_id = ?")) {
			query.setString(1, messageId);
			try (java.sql.ResultSet count = query.executeQuery()) {
				count.next();
				return count.getLong(1);
			}
		}
	}

	private static void sleepUntil(java.time.Instant instant) throws InterruptedException {
		long millis = Duration.between(java.time.Instant.now(), instant).toMillis();
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

	private static double sent(URI application) {
		HttpResponse<String> response = Http
			.get(application.resolve("/actuator/prometheus"), "admin:admin-secret", "text/plain")
			.orElseThrow();
		assertThat(response.statusCode()).isEqualTo(200);
		return PrometheusText.sum(response.body(), "shop_notifications_sent_total");
	}

	/**
	 * The service follows the monolith's events: it has an order's notification soon
	 * after the monolith.
	 */
	private static void awaitFollowed(String order) {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> get(service, "/api/notifications?orderId=" + order).body().contains("\"kind\""));
	}

	private static double shadowComparisons(String result) {
		HttpResponse<String> response = Http
			.get(gateway.resolve("/actuator/prometheus"), "admin:admin-secret", "text/plain")
			.orElseThrow();
		assertThat(response.statusCode()).isEqualTo(200);
		return PrometheusText.parse(response.body())
			.stream()
			.filter((sample) -> sample.name().equals("strangler_shadow_comparisons_total")
					&& sample.label("route").equals("notifications") && sample.label("result").equals(result))
			.mapToDouble(PrometheusText.Sample::value)
			.sum();
	}

	private static JsonNode withoutIdAndTime(String body) {
		JsonNode notifications = json.readTree(body);
		List<JsonNode> kept = new ArrayList<>();
		for (JsonNode notification : notifications) {
			ObjectNode copy = ((ObjectNode) notification).deepCopy();
			copy.remove(List.of("id", "sentAt"));
			kept.add(copy);
		}
		return json.valueToTree(kept);
	}

	private static String place(String card, int quantity) throws Exception {
		HttpResponse<String> placed = http.send(HttpRequest.newBuilder(gateway.resolve("/api/orders"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"customerId":"c-landscape","card":"%s","lines":[{"productId":"%s","quantity":%d}]}"""
				.formatted(card, PRODUCT, quantity)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
		String location = placed.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	private static HttpResponse<String> get(URI base, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
