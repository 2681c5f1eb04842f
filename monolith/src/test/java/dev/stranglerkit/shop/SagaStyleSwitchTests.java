package dev.stranglerkit.shop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code shop.saga.style} switched back and forth while clients place orders: each switch
 * as a refresh applies it (the environment changes, the properties are rebound). New
 * orders follow the style in force when they are placed; orders in flight finish in
 * theirs: every order ends, in the style it was placed in, with the invariants of the map
 * (stock conserved, one successful payment per confirmed order, none per cancelled one).
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SagaStyleSwitchTests {

	static final String APPROVED_CARD = "4242424242424242";

	static final String DECLINED_CARD = "4000000000000002";

	static final int CLIENTS = 4;

	static final int ORDERS_PER_CLIENT = 20;

	static final int STOCK = 50;

	static final int SWITCH_EVERY = 10;

	@LocalServerPort
	int port;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Test
	void everyOrderEndsInTheStyleItWasPlacedInAcrossSwitches() throws Exception {
		Http http = new Http("http://127.0.0.1:" + this.port);
		UUID product = ShopFixtures.productWithStock(http, "2.00", STOCK);
		ConcurrentLinkedQueue<String> orders = new ConcurrentLinkedQueue<>();
		AtomicInteger placed = new AtomicInteger();
		AtomicInteger switches = new AtomicInteger();
		// odd while a switch is being applied: an order placed while it stays even and
		// unchanged was placed under one known style
		AtomicInteger version = new AtomicInteger();
		Map<String, String> expected = new java.util.concurrent.ConcurrentHashMap<>();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<?>> placing = new java.util.ArrayList<>();
			for (int client = 0; client < CLIENTS; client++) {
				int c = client;
				placing.add(clients.submit(() -> {
					for (int i = 0; i < ORDERS_PER_CLIENT; i++) {
						int before = version.get();
						Http.Response accepted = http.post("/api/orders",
								"""
										{"customerId": "c-switch-%d", "card": "%s", "lines": [{"productId": "%s", "quantity": 1}]}"""
									.formatted(c, (i % 5 == 4) ? DECLINED_CARD : APPROVED_CARD, product));
						assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
						String id = accepted.json().get("id").asString();
						orders.add(id);
						if (version.get() == before && before % 2 == 0) {
							expected.put(id, style(before / 2).toUpperCase(java.util.Locale.ROOT));
						}
						// every few orders, the other style: while the other clients
						// place
						// theirs and the sagas before run
						if (placed.incrementAndGet() % SWITCH_EVERY == 0) {
							synchronized (switches) {
								version.incrementAndGet();
								switchTo(style(switches.incrementAndGet()));
								version.incrementAndGet();
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> f : placing) {
				f.get();
			}
			assertThat(switches.get()).as("switches while orders were placed")
				.isEqualTo(CLIENTS * ORDERS_PER_CLIENT / SWITCH_EVERY);
		}
		finally {
			clients.shutdownNow();
			switchTo("choreography");
		}
		assertThat(orders).hasSize(CLIENTS * ORDERS_PER_CLIENT);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> pending(orders) == 0);
		Map<String, Long> styles = this.jdbc
			.sql("SELECT saga_style, count(*) FROM orders.orders WHERE id::text = ANY (?) GROUP BY saga_style")
			.param(orders.toArray(String[]::new))
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		assertThat(styles.keySet()).as("orders of both styles")
			.containsExactlyInAnyOrder("CHOREOGRAPHY", "ORCHESTRATION");
		// each in the style in force when it was placed
		// (those placed while no switch was being applied: 16 of 80 in a run here)
		assertThat(expected).as("orders placed under one known style").isNotEmpty();
		expected.forEach((order,
				style) -> assertThat(this.jdbc.sql("SELECT saga_style FROM orders.orders WHERE id = ?::uuid")
					.param(order)
					.query(String.class)
					.single()).as("the saga style of order %s", order).isEqualTo(style));
		int confirmed = 0;
		for (String order : orders) {
			JsonNode saga = http.get("/api/orders/" + order + "/saga").json();
			boolean isConfirmed = saga.get("status").asString().equals("CONFIRMED");
			confirmed += isConfirmed ? 1 : 0;
			long succeeded = 0;
			for (JsonNode payment : http.get("/api/payments?orderId=" + order).json()) {
				succeeded += payment.get("status").asString().equals("SUCCEEDED") ? 1 : 0;
			}
			assertThat(succeeded).as("successful payments of order %s (%s)", order, saga.get("style"))
				.isEqualTo(isConfirmed ? 1 : 0);
			assertThat(saga.get("steps").get(0).get("answer").isNull()).as("order %s reserved or short", order)
				.isFalse();
		}
		int confirmedOrders = confirmed;
		assertThat(confirmedOrders).isPositive();
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			JsonNode stock = http.get("/api/inventory/" + product).json();
			assertThat(stock.get("available").asInt()).as("available").isEqualTo(STOCK - confirmedOrders);
			assertThat(stock.get("reserved").asInt()).as("reserved").isZero();
		});
	}

	/**
	 * @return the style in force after that many switches (config-repo's, choreography,
	 * before the first)
	 */
	private static String style(int switches) {
		return (switches % 2 == 1) ? "orchestration" : "choreography";
	}

	/**
	 * What a refresh does when config-repo changes: the environment gets the new value,
	 * and the properties bound from it are rebound.
	 */
	private void switchTo(String style) {
		this.context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("saga-style-switch", Map.of("shop.saga.style", style)));
		this.context.publishEvent(new EnvironmentChangeEvent(this.context, Set.of("shop.saga.style")));
	}

	private long pending(java.util.Collection<String> orders) {
		return this.jdbc.sql("SELECT count(*) FROM orders.orders WHERE status = 'PENDING' AND id::text = ANY (?)")
			.param(orders.toArray(String[]::new))
			.query(Long.class)
			.single();
	}

}
