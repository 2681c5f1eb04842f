package dev.stranglerkit.notifications;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service fed the way the landscape feeds it: the contract samples of
 * {@code contracts/events/} (with fresh ids) published to {@code shop.events} on the real
 * RabbitMQ, stored in its own PostgreSQL database, read back over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"kit.config-import=file:../../config-repo/application.yml,file:../../config-repo/notification-service.yml",
		"spring.cloud.config.enabled=false", "spring.cloud.bus.enabled=false", "eureka.client.enabled=false",
		"spring.datasource.url=jdbc:postgresql://${SHOP_DB_HOST:127.0.0.1}:${SHOP_DB_PORT:5432}/${NOTIFICATION_TEST_DB_NAME:notification_service_test}",
		"spring.rabbitmq.virtual-host=${SHOP_TEST_RABBIT_VHOST:shop_test}",
		// a queue of the tests' own, so that the landscape's queue is left alone
		"kit.messaging.consumer.queue=notification-service-tests", "kit.messaging.subscriptions.notification-service=",
		"kit.messaging.subscriptions.inventory-service=", "kit.messaging.subscriptions.monolith=",
		"kit.messaging.subscriptions.notification-service-tests=orders.OrderConfirmed,orders.OrderCancelled" })
class NotificationServiceTests {

	static final Path contracts = Path.of("../../contracts/events");

	@LocalServerPort
	int port;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	ConfigurableEnvironment environment;

	@Autowired
	ApplicationContext context;

	@Autowired
	MeterRegistry meters;

	final HttpClient http = HttpClient.newHttpClient();

	/**
	 * The notifications' paths answer as the monolith's do: the same operations,
	 * parameters, bodies and responses as its contract
	 * ({@code contracts/openapi/monolith.json}, which the monolith's ApiContractTests
	 * hold it to), so that a client sees no difference when the gateway moves the route.
	 */
	@Test
	void answersTheMonolithsApiForTheNotifications() throws Exception {
		HttpResponse<String> docs = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v3/api-docs/notification-service"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(docs.statusCode()).isEqualTo(200);
		assertThat(ApiContract.operations(docs.body(), "/api/")).isEqualTo(ApiContract
			.operations(Files.readString(Path.of("../../contracts/openapi/monolith.json")), "/api/notifications"));
	}

	@Test
	void aConfirmedOrderGetsOneNotificationHoweverOftenItsMessageArrives() throws Exception {
		UUID order = UUID.randomUUID();
		String messageId = UUID.randomUUID().toString();
		publish("orders.OrderConfirmed", messageId, order);
		publish("orders.OrderConfirmed", messageId, order); // redelivered
		publish("orders.OrderConfirmed", UUID.randomUUID().toString(), order); // sent
																				// again
																				// by
																				// another
																				// owner

		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/notifications?orderId=" + order).body()
				.contains("\"message\":\"Your order " + order + " is confirmed; 59.00 was charged.\""));
		// and no duplicate shows up in the time it would need
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> countOf(get("/api/notifications?orderId=" + order).body(),
					"\"kind\":\"ORDER_CONFIRMED\"") == 1);
		HttpResponse<String> response = get("/api/notifications?orderId=" + order);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).containsOnlyOnce("\"kind\":\"ORDER_CONFIRMED\"")
			.contains("\"orderId\":\"" + order + "\"")
			.contains("\"customerId\":\"c-1\"")
			.containsPattern("\"id\":\"[0-9a-f-]{36}\"")
			.containsPattern("\"sentAt\":\"\\d{4}-\\d\\d-\\d\\dT");
	}

	@Test
	void aCancelledOrderGetsItsReason() throws Exception {
		UUID order = UUID.randomUUID();
		publish("orders.OrderCancelled", UUID.randomUUID().toString(), order);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/notifications?orderId=" + order).body()
				.contains("\"kind\":\"ORDER_CANCELLED\",\"message\":\"Your order " + order
						+ " was cancelled: Card declined by the issuer\""));
	}

	@Test
	void aFollowerRecordsAndOnlyAnOwnerSends() throws Exception {
		double sentBefore = sent();
		UUID followed = UUID.randomUUID();
		publish("orders.OrderConfirmed", UUID.randomUUID().toString(), followed);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/notifications?orderId=" + followed).body().contains("ORDER_CONFIRMED"));
		assertThat(sent()).isEqualTo(sentBefore);

		// ownership moves through the configuration, read per message: no restart (a
		// refresh rebinds it); the handoff is at an instant, and the event's time decides
		MapPropertySource owner = new MapPropertySource("cutover",
				Map.of("kit.ownership.notifications[0]", Instant.now().minusSeconds(1) + "=service"));
		this.environment.getPropertySources().addFirst(owner);
		refreshed("kit.ownership.notifications[0]");
		try {
			UUID owned = UUID.randomUUID();
			publish("orders.OrderConfirmed", UUID.randomUUID().toString(), owned);
			publish("orders.OrderConfirmed", UUID.randomUUID().toString(), owned); // sent
																					// once
																					// only
			await().atMost(Duration.ofSeconds(10)).until(() -> sent() == sentBefore + 1);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> sent() == sentBefore + 1);
		}
		finally {
			this.environment.getPropertySources().remove("cutover");
			refreshed("kit.ownership.notifications[0]");
		}
	}

	/**
	 * What a bus refresh does once the environment has changed: the configuration
	 * properties are rebound.
	 */
	private void refreshed(String key) {
		this.context.publishEvent(new EnvironmentChangeEvent(this.context, Set.of(key)));
	}

	private double sent() {
		return this.meters.find("shop.notifications.sent").counters().stream().mapToDouble(Counter::count).sum();
	}

	@Test
	void badQueriesGetTheMonolithsProblemDetails() throws Exception {
		HttpResponse<String> missing = get("/api/notifications");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(missing.body()).contains("\"detail\":\"Required parameter 'orderId' is not present.\"")
			.doesNotContain("Exception");

		HttpResponse<String> notAnId = get("/api/notifications?orderId=nope");
		assertThat(notAnId.statusCode()).isEqualTo(400);
		assertThat(notAnId.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(notAnId.body()).contains("\"title\":\"Invalid parameter\"")
			.contains("\"detail\":\"Invalid value 'nope' for 'orderId'\"");

		HttpResponse<String> unknown = get("/api/notifications?orderId=" + UUID.randomUUID());
		assertThat(unknown.statusCode()).isEqualTo(200);
		assertThat(unknown.body()).isEqualTo("[]");
	}

	/**
	 * Publishes a contract sample as it is, with a fresh message id and order id,
	 * happened now.
	 */
	private void publish(String type, String messageId, UUID order) throws Exception {
		String sample = Files.readString(contracts.resolve(type + ".sample.json"))
			.replaceAll("\"messageId\": \"[^\"]+\"", "\"messageId\": \"" + messageId + "\"")
			.replaceAll("\"orderId\": \"[^\"]+\"", "\"orderId\": \"" + order + "\"")
			.replaceAll("\"occurredAt\": \"[^\"]+\"", "\"occurredAt\": \"" + Instant.now() + "\"");
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		properties.setMessageId(messageId);
		properties.setType(type);
		this.rabbit.send("shop.events", type,
				MessageBuilder.withBody(sample.getBytes()).andProperties(properties).build());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static int countOf(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
			count++;
		}
		return count;
	}

}
