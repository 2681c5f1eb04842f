package dev.stranglerkit.shop;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monolith killed with SIGKILL in the middle of its orders' sagas, in each style:
 * every saga waits at its first step (the test holds the product's stock row locked, so
 * each reservation blocks inside its transaction) when the process dies. After a restart
 * every order ends, and the invariants hold: stock conserved, one successful payment per
 * confirmed order and none per cancelled one, one notification per order, every step of
 * an orchestrated saga answered once.
 */
class SagaAfterKillProcessTests {

	static final String APPROVED_CARD = "4242424242424242";

	static final String DECLINED_CARD = "4000000000000002";

	static final int STOCK = 6;

	static final int ORDERS = 10;

	@ParameterizedTest
	@ValueSource(strings = { "choreography", "orchestration" })
	void everySagaCutShortByAKillEndsAfterTheRestart(String style) throws Exception {
		int port = MonolithProcess.freePort();
		Http http = new Http("http://127.0.0.1:" + port);
		List<String> args = List.of("--shop.saga.style=" + style,
				// in the tests' virtual host no queue collects the events: a queue of its
				// own that nothing is sent to
				"--kit.messaging.subscriptions.inventory-service=",
				"--kit.messaging.subscriptions.notification-service=", "--kit.messaging.subscriptions.monolith=",
				"--kit.messaging.consumer.queue=monolith-saga-kill-inbound",
				"--kit.messaging.subscriptions.monolith-saga-kill-inbound=nothing.#",
				// what a crash left in flight is resubmitted within seconds, not the
				// landscape's 30 s (at least twice the relay's confirm timeout)
				"--kit.messaging.outbox.confirm-timeout=1s", "--spring.modulith.events.staleness.processing=3s",
				"--spring.modulith.events.staleness.published=3s", "--spring.modulith.events.staleness.resubmitted=3s",
				"--kit.messaging.resubmission.interval=2s", "--kit.messaging.resubmission.min-age=1s");
		List<String> orders = new ArrayList<>();
		UUID product;
		try (Connection locker = connect()) {
			Process first = MonolithProcess.start("saga-" + style + "-first", port, 5672, args);
			try {
				MonolithProcess.awaitReady(http, first);
				product = ShopFixtures.productWithStock(http, "3.00", STOCK);
				locker.setAutoCommit(false);
				int lockerPid;
				try (ResultSet pid = locker.createStatement().executeQuery("SELECT pg_backend_pid()")) {
					pid.next();
					lockerPid = pid.getInt(1);
				}
				try (PreparedStatement lock = locker
					.prepareStatement("SELECT available FROM inventory.stock WHERE product_id = ? FOR UPDATE")) {
					lock.setObject(1, product);
					lock.executeQuery().close();
				}
				for (int i = 0; i < ORDERS; i++) {
					Http.Response accepted = http.post("/api/orders",
							"""
									{"customerId": "c-saga-kill", "card": "%s", "lines": [{"productId": "%s", "quantity": 1}]}"""
								.formatted((i % 4 == 3) ? DECLINED_CARD : APPROVED_CARD, product));
					assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
					orders.add(accepted.json().get("id").asString());
				}
				// a reservation waits for the lock, inside its transaction: mid-saga
				await().atMost(Duration.ofSeconds(30)).until(() -> blockedBy(lockerPid) > 0);
			}
			finally {
				first.destroyForcibly().waitFor();
			}
			assertThat(pending(orders)).as("orders pending when the monolith was killed").isEqualTo(ORDERS);
			locker.rollback();
		}

		Process second = MonolithProcess.start("saga-" + style + "-second", port, 5672, args);
		try {
			MonolithProcess.awaitReady(http, second);
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(pending(orders)).isZero());
			// every event of theirs delivered: a notification sent twice would show now
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(incompletePublications(orders)).isZero());
			int confirmed = 0;
			for (String order : orders) {
				JsonNode ended = http.get("/api/orders/" + order).json();
				boolean isConfirmed = ended.get("status").asString().equals("CONFIRMED");
				confirmed += isConfirmed ? 1 : 0;
				JsonNode payments = http.get("/api/payments?orderId=" + order).json();
				long succeeded = 0;
				for (JsonNode payment : payments) {
					succeeded += payment.get("status").asString().equals("SUCCEEDED") ? 1 : 0;
				}
				assertThat(succeeded).as("successful payments of order %s", order).isEqualTo(isConfirmed ? 1 : 0);
				JsonNode saga = http.get("/api/orders/" + order + "/saga").json();
				assertThat(saga.get("style").asString()).isEqualTo(style.toUpperCase(java.util.Locale.ROOT));
				for (JsonNode step : saga.get("steps")) {
					if (style.equals("orchestration") || !step.get("step").asString().equals("RELEASE_STOCK")) {
						assertThat(step.get("answer").isNull()).as("step %s of order %s answered", step, order)
							.isFalse();
					}
				}
				assertThat(http.get("/api/notifications?orderId=" + order).json())
					.as("notifications of order %s", order)
					.hasSize(1);
			}
			int confirmedOrders = confirmed;
			assertThat(confirmedOrders).isBetween(1, STOCK);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode stock = http.get("/api/inventory/" + product).json();
				assertThat(stock.get("available").asInt()).as("available").isEqualTo(STOCK - confirmedOrders);
				assertThat(stock.get("reserved").asInt()).as("reserved").isZero();
			});
		}
		finally {
			second.destroy();
			second.waitFor();
		}
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection(MonolithProcess.DATABASE, MonolithProcess.env("SHOP_DB_USER", "postgres"),
				MonolithProcess.env("SHOP_DB_PASSWORD", ""));
	}

	/**
	 * @return how many transactions wait for a lock the backend holds
	 */
	private static int blockedBy(int pid) throws SQLException {
		try (Connection db = connect();
				PreparedStatement query = db
					.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))")) {
			query.setInt(1, pid);
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	/**
	 * @return the publications of the orders' events not completed yet
	 */
	private static int incompletePublications(List<String> orders) throws SQLException {
		try (Connection db = connect(); PreparedStatement query = db.prepareStatement("""
				SELECT count(*) FROM event_publication WHERE completion_date IS NULL
				AND (serialized_event::jsonb) ->> 'orderId' = ANY (?)""")) {
			query.setArray(1, db.createArrayOf("text", orders.toArray()));
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	private static int pending(List<String> orders) throws SQLException {
		try (Connection db = connect();
				PreparedStatement query = db
					.prepareStatement("SELECT count(*) FROM orders.orders WHERE status = 'PENDING' AND id = ANY (?)")) {
			query.setArray(1, db.createArrayOf("uuid", orders.stream().map(UUID::fromString).toArray()));
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

}
