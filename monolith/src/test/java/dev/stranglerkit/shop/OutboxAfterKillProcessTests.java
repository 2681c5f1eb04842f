package dev.stranglerkit.shop;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.messaging.TcpProxy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monolith, started from its jar as a user starts it, killed with SIGKILL while its
 * events wait in the outbox (RabbitMQ unreachable through a proxy the test controls):
 * after a restart every one of those events arrives, with the message id it had before.
 */
class OutboxAfterKillProcessTests {

	static final String TAP = "monolith-kill-tap";

	static final String DATABASE = MonolithProcess.DATABASE;

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void deliversTheEventsOfAKilledMonolithAfterItRestarts() throws Exception {
		int port = freePort();
		Http http = new Http("http://127.0.0.1:" + port);
		CachingConnectionFactory broker = EventContractTests.testBroker();
		try (TcpProxy proxy = new TcpProxy(env("SHOP_RABBIT_HOST", "127.0.0.1"), 5672)) {
			proxy.cut();
			Process first = start(port, proxy.port(), "first");
			List<String> orders = new ArrayList<>();
			try {
				awaitReady(http, first);
				// gone until the restarted monolith declares it, on connecting, before it
				// publishes
				new RabbitAdmin(broker).deleteQueue(TAP);
				UUID product = ShopFixtures.productWithStock(http, "2.00", 100);
				for (int i = 0; i < 5; i++) {
					Http.Response accepted = http.post("/api/orders",
							"""
									{"customerId": "c-kill", "card": "4242424242424242", "lines": [{"productId": "%s", "quantity": 1}]}"""
								.formatted(product));
					assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
					orders.add(accepted.json().get("id").asString());
				}
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(incompleteRelayPublications(orders)).hasSize(5));
			}
			finally {
				first.destroyForcibly().waitFor();
			}
			Map<String, String> storedIds = incompleteRelayPublications(orders);

			proxy.restore();
			Process second = start(port, proxy.port(), "second");
			try {
				awaitReady(http, second);
				RabbitTemplate rabbit = new RabbitTemplate(broker);
				Map<String, String> arrived = new HashMap<>();
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					for (Message m = rabbit.receive(TAP, 500); m != null; m = rabbit.receive(TAP, 500)) {
						JsonNode envelope = this.json.readTree(m.getBody());
						arrived.put(envelope.get("payload").get("orderId").asString(),
								envelope.get("messageId").asString());
					}
					return arrived.keySet().containsAll(orders);
				});
				orders.forEach((order) -> assertThat(arrived.get(order)).as("message id of order %s", order)
					.isEqualTo(storedIds.get(order)));
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(incompleteRelayPublications(orders)).isEmpty());
				for (String order : orders) {
					assertThat(http.get("/api/orders/" + order).json().get("status").asString()).isEqualTo("CONFIRMED");
				}
			}
			finally {
				second.destroy();
				second.waitFor();
				// left behind, it would collect every order of every later test run
				new RabbitAdmin(broker).deleteQueue(TAP);
				broker.destroy();
			}
		}
	}

	/**
	 * The OrderPlaced publications for the outbox relay not yet completed: order id to
	 * event id.
	 */
	private Map<String, String> incompleteRelayPublications(List<String> orders) throws SQLException {
		Map<String, String> incomplete = new HashMap<>();
		try (Connection db = DriverManager.getConnection(DATABASE, env("SHOP_DB_USER", "postgres"),
				env("SHOP_DB_PASSWORD", "")); PreparedStatement query = db.prepareStatement("""
						SELECT serialized_event FROM event_publication
						WHERE listener_id LIKE '%EventExternalizerModuleListener%'
						AND event_type LIKE '%OrderPlaced' AND completion_date IS NULL""")) {
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					JsonNode event = this.json.readTree(rows.getString(1));
					String order = event.get("orderId").asString();
					if (orders.contains(order)) {
						incomplete.put(order, event.get("eventId").asString());
					}
				}
			}
		}
		return incomplete;
	}

	private static Process start(int port, int rabbitPort, String name) throws IOException {
		return MonolithProcess.start(name, port, rabbitPort, List.of(
				// the landscape's queues stay unbound in the tests' virtual host, and it
				// consumes a queue of its own that nothing is sent to
				"--kit.messaging.subscriptions.inventory-service=",
				"--kit.messaging.subscriptions.notification-service=", "--kit.messaging.subscriptions.monolith=",
				"--kit.messaging.consumer.queue=" + TAP + "-inbound",
				"--kit.messaging.subscriptions." + TAP + "-inbound=nothing.#",
				"--kit.messaging.subscriptions." + TAP + "=orders.OrderPlaced",
				"--kit.messaging.resubmission.interval=2s", "--kit.messaging.resubmission.min-age=1s"));
	}

	private static void awaitReady(Http http, Process process) {
		MonolithProcess.awaitReady(http, process);
	}

	private static int freePort() throws IOException {
		return MonolithProcess.freePort();
	}

	private static String env(String name, String fallback) {
		return MonolithProcess.env(name, fallback);
	}

}
