package dev.stranglerkit.shop;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.shop.orders.internal.SagaProperties;
import dev.stranglerkit.shop.orders.internal.SagaStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the monolith actually sends to RabbitMQ, read back from the broker, matches the
 * contracts under {@code contracts/events/}: every event type the shop externalizes, each
 * with its envelope, and the samples match their own schemas.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EventContractTests {

	static final String TAP = "monolith-tests-tap";

	static final CachingConnectionFactory broker = testBroker();

	final JsonMapper json;

	@LocalServerPort
	int port;

	Http http;

	final SagaProperties saga;

	EventContractTests(JsonMapper json, SagaProperties saga) {
		this.json = json;
		this.saga = saga;
	}

	static CachingConnectionFactory testBroker() {
		CachingConnectionFactory factory = new CachingConnectionFactory(
				System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"));
		factory.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		return factory;
	}

	@BeforeEach
	void connect() {
		this.http = new Http("http://127.0.0.1:" + this.port);
		new RabbitAdmin(broker).purgeQueue(TAP, false);
	}

	@AfterAll
	static void close() {
		broker.destroy();
	}

	@Test
	void everyMessageTheMonolithSendsMatchesItsContract() {
		UUID product = ShopFixtures.productWithStock(this.http, "10.00", 5);
		assertThat(this.http.put("/api/catalog/products/" + product + "/price", "{\"price\": 11.00}").status())
			.isEqualTo(200);
		placeOrder(product, 1, "4242424242424242");
		placeOrder(product, 1, "4000000000000002");
		placeOrder(product, 50, "4242424242424242");
		// the orchestrator's commands (a declined card: reserve, then release), as a
		// refresh of shop.saga.style switches the style
		this.saga.setStyle(SagaStyle.ORCHESTRATION);
		try {
			placeOrder(product, 1, "4000000000000002");
		}
		finally {
			this.saga.setStyle(SagaStyle.CHOREOGRAPHY);
		}
		RabbitTemplate rabbit = new RabbitTemplate(broker);

		Map<String, Integer> seen = new HashMap<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			for (Message message = rabbit.receive(TAP, 200); message != null; message = rabbit.receive(TAP, 200)) {
				String body = new String(message.getBody());
				JsonNode envelope = this.json.readTree(body);
				String type = envelope.get("type").asString();
				assertThat(EventContracts.violations(type, body)).as("%s: %s", type, body).isEmpty();
				assertThat(message.getMessageProperties().getMessageId())
					.isEqualTo(envelope.get("messageId").asString());
				assertThat(message.getMessageProperties().getType()).isEqualTo(type);
				assertThat(envelope.get("source").asString()).isEqualTo("monolith");
				seen.merge(type, 1, Integer::sum);
			}
			return seen.keySet().containsAll(EventContracts.types());
		});
		assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(EventContracts.types());
	}

	@Test
	void everySampleMatchesItsSchema() {
		List<String> types = EventContracts.types();

		assertThat(types).hasSize(13);
		for (String type : types) {
			assertThat(EventContracts.violations(type, EventContracts.sample(type))).as(type).isEmpty();
		}
	}

	@Test
	void aMessageThatBreaksTheContractIsCaught() {
		String sample = EventContracts.sample("orders.OrderPlaced");

		assertThat(EventContracts.violations("orders.OrderPlaced",
				sample.replace("\"cardLast4\": \"4242\"", "\"cardNumber\": \"4242424242424242\"")))
			.isNotEmpty();
		assertThat(EventContracts.violations("orders.OrderPlaced", sample.replace("\"messageId\"", "\"id\"")))
			.isNotEmpty();
	}

	private void placeOrder(UUID product, int quantity, String card) {
		Http.Response accepted = this.http.post("/api/orders", """
				{"customerId": "c-contract", "card": "%s", "lines": [{"productId": "%s", "quantity": %d}]}"""
			.formatted(card, product, quantity));
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
	}

}
