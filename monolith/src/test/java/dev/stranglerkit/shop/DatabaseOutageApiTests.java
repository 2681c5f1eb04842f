package dev.stranglerkit.shop;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.messaging.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL unreachable for the monolith (its connections go through a proxy the test
 * cuts): reads and writes get a 503 problem that asks for a retry, within the pool's
 * connection timeout; once the database is back, the client's retry of an order with the
 * same {@code Idempotency-Key} places it once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.datasource.hikari.connection-timeout=1000")
@DirtiesContext // its connection pool saw the outage: no later test may share it
class DatabaseOutageApiTests {

	static final TcpProxy proxy = new TcpProxy(System.getenv().getOrDefault("SHOP_DB_HOST", "127.0.0.1"),
			Integer.parseInt(System.getenv().getOrDefault("SHOP_DB_PORT", "5432")));

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void connectThroughProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:%d/%s".formatted(proxy.port(),
				System.getenv().getOrDefault("SHOP_TEST_DB_NAME", "shop_test")));
	}

	@AfterAll
	static void close() {
		proxy.close();
	}

	@Test
	void answersAProblemWhileTheDatabaseIsDownAndARetriedOrderIsPlacedOnce() {
		Http http = new Http("http://127.0.0.1:" + this.port);
		UUID product = ShopFixtures.productWithStock(http, "3.00", 10);
		String customer = "c-outage-" + UUID.randomUUID();
		String key = UUID.randomUUID().toString();
		String order = """
				{"customerId": "%s", "card": "4242424242424242", "lines": [{"productId": "%s", "quantity": 1}]}"""
			.formatted(customer, product);

		proxy.cut();
		Http.Response read = http.get("/api/catalog/products/" + product);
		Http.Response write = http.post("/api/orders", order, Map.of("Idempotency-Key", key));

		for (Http.Response unavailable : new Http.Response[] { read, write }) {
			assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(503);
			assertThat(unavailable.contentType()).startsWith("application/problem+json");
			assertThat(unavailable.json().get("detail").asString()).containsPattern("retry (the request|it)");
			assertThat(unavailable.body()).doesNotContain("Exception").doesNotContain("at org.");
		}

		proxy.restore();
		Http.Response retried = await().atMost(Duration.ofSeconds(30))
			.until(() -> http.post("/api/orders", order, Map.of("Idempotency-Key", key)), (r) -> r.status() != 503);
		Http.Response again = http.post("/api/orders", order, Map.of("Idempotency-Key", key));

		assertThat(retried.status()).as(retried.body()).isEqualTo(202);
		assertThat(again.location()).isEqualTo(retried.location());
		String orderId = retried.json().get("id").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> http.get("/api/orders/" + orderId).json().get("status").asString().equals("CONFIRMED"));
		assertThat(http.get("/api/payments?orderId=" + orderId).json()).hasSize(1);
	}

}
