package dev.stranglerkit.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An orchestrated saga whose reservation gets no answer in time (the test holds the
 * product's stock row locked, so the reservation blocks inside its transaction): the
 * command is sent again, then the step is given up and compensated; once the lock is
 * gone, the late reservation is released and the order cancelled, with nothing charged
 * and the stock as it was.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "shop.saga.style=orchestration", "shop.saga.step-timeout=2s", "shop.saga.attempts=2",
				"shop.saga.deadline-check=300ms" })
class SagaDeadlineTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void aReservationWithoutAnswerIsSentAgainThenCompensated() throws Exception {
		Http http = new Http("http://127.0.0.1:" + this.port);
		UUID product = ShopFixtures.productWithStock(http, "4.00", 5);
		double sentAgain = deadlines("sent-again");
		double givenUp = deadlines("given-up");
		String saga;
		try (Connection locker = DriverManager.getConnection(MonolithProcess.DATABASE,
				MonolithProcess.env("SHOP_DB_USER", "postgres"), MonolithProcess.env("SHOP_DB_PASSWORD", ""))) {
			locker.setAutoCommit(false);
			try (PreparedStatement lock = locker
				.prepareStatement("SELECT available FROM inventory.stock WHERE product_id = ? FOR UPDATE")) {
				lock.setObject(1, product);
				lock.executeQuery().close();
			}
			Http.Response accepted = http.post("/api/orders",
					"""
							{"customerId": "c-deadline", "card": "4242424242424242", "lines": [{"productId": "%s", "quantity": 2}]}"""
						.formatted(product));
			assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
			saga = accepted.location() + "/saga";

			JsonNode overdue = await().atMost(Duration.ofSeconds(20))
				.until(() -> http.get(saga).json(), (view) -> step(view, "RELEASE_STOCK") != null);
			JsonNode reservation = step(overdue, "RESERVE_STOCK");
			assertThat(reservation.get("attempts").asInt()).isEqualTo(2);
			assertThat(reservation.get("answer").asString()).isEqualTo("TIMED_OUT");
			assertThat(overdue.get("status").asString()).as("pending until the stock is released").isEqualTo("PENDING");
			assertThat(deadlines("sent-again") - sentAgain).isEqualTo(1);
			assertThat(deadlines("given-up") - givenUp).isEqualTo(1);
			locker.rollback();
		}

		JsonNode ended = await().atMost(Duration.ofSeconds(30))
			.until(() -> http.get(saga).json(), (view) -> !view.get("status").asString().equals("PENDING"));
		assertThat(ended.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(ended.get("reason").asString()).contains("could not be reserved in time");
		assertThat(step(ended, "RELEASE_STOCK").get("answer").asString()).isEqualTo("StockReleased");
		assertThat(step(ended, "CHARGE_PAYMENT")).as("never charged").isNull();
		String orderId = ended.get("orderId").asString();
		assertThat(http.get("/api/payments?orderId=" + orderId).json()).isEmpty();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode stock = http.get("/api/inventory/" + product).json();
			assertThat(stock.get("available").asInt()).isEqualTo(5);
			assertThat(stock.get("reserved").asInt()).isZero();
		});
	}

	private double deadlines(String outcome) {
		Counter counter = this.meters.find("shop.orders.saga.deadlines")
			.tag("step", "RESERVE_STOCK")
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static JsonNode step(JsonNode saga, String name) {
		for (JsonNode step : saga.get("steps")) {
			if (step.get("step").asString().equals(name)) {
				return step;
			}
		}
		return null;
	}

}
