package dev.stranglerkit.launcher;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.k8s.Dashboard;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The migration itself, with every application its own process as {@code ./kit up} starts
 * them: orders (approved, declined, short, and some for a product that runs out) stream
 * through the gateway while the inventory route and ownership go monolith -> shadow ->
 * canary 50 -> service -> monolith -> service. Afterwards every invariant of the map
 * holds: every order terminal, each decided exactly once by one owner, stock conserved
 * and equal on both sides, one successful payment per confirmed order and none for a
 * cancelled one, one notification per order, no publication left in an outbox, nothing in
 * a dead-letter queue, and no read failed.
 * <p>
 * Its applications send their events with the CDC relay ({@code ./kit up --relay cdc}:
 * Debezium reads each outbox from PostgreSQL's write-ahead log), the other landscape
 * tests' with the outbox relay: the migration's invariants hold with either.
 * <p>
 * It runs two instances of the monolith, of the inventory-service and of the gateway, as
 * {@code ./kit scale <app> 2} starts them (and Kubernetes runs replicas): every switch
 * and handoff is applied by each instance, the instances of one application share its
 * outbox, replication slot and consumer queue, and the clients spread over both gateways
 * as a load balancer in front of them would. Then one instance of each is killed under
 * the load, and no read fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InventoryCutoverLandscapeIT {

	static TestLandscape landscape;

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	static final JsonMapper json = JsonMapper.builder().build();

	static final URI gateway = URI.create("http://127.0.0.1:8080");

	/** the gateway's second instance ({@code ./kit scale gateway 2}) */
	static final URI gateway2 = URI.create("http://127.0.0.1:" + Scale.port(Landscape.GATEWAY, 2));

	static final List<URI> gateways = List.of(gateway, gateway2);

	static final URI monolith2 = URI.create("http://127.0.0.1:" + Scale.port(Landscape.MONOLITH, 2));

	static final URI service2 = URI.create("http://127.0.0.1:" + Scale.port("inventory-service", 2));

	/**
	 * every order placed by the tests' loads, as each ended: stock is conserved over all
	 */
	static final Map<String, JsonNode> everyOrder = new LinkedHashMap<>();

	static final URI monolith = URI.create("http://127.0.0.1:8081");

	static final URI service = URI.create("http://127.0.0.1:8082");

	static final String ADMIN = "admin:admin-secret";

	/** product -> the stock set at the start; the third runs out during the run */
	static final Map<String, Integer> initial = new LinkedHashMap<>(Map.of("00000000-0000-0000-0000-000000000001", 5000,
			"00000000-0000-0000-0000-000000000002", 5000, "00000000-0000-0000-0000-000000000003", 40));

	static final String LOW = "00000000-0000-0000-0000-000000000003";

	/** how many orders are placed in each mode before the next switch */
	static final int ORDERS_PER_STEP = 25;

	@BeforeAll
	static void startTheWholeLandscape() throws Exception {
		landscape = new TestLandscape(Map.of(Relay.ENV, "cdc"));
		landscape.upEverything();
		// a second instance of each, side by side, as ./kit scale <app> 2 does
		Scale scale = new Scale(landscape.landscape, landscape.launcher,
				(line) -> System.out.println("[scale] " + line));
		List<Thread> scaling = new ArrayList<>();
		Map<String, List<String>> running = new ConcurrentHashMap<>();
		for (String app : List.of(Landscape.MONOLITH, "inventory-service", Landscape.GATEWAY)) {
			scaling.add(Thread.ofPlatform().start(() -> running.put(app, scale.to(app, 2))));
		}
		for (Thread thread : scaling) {
			thread.join();
		}
		assertThat(running).containsEntry(Landscape.MONOLITH, List.of("monolith", "monolith-8181"))
			.containsEntry("inventory-service", List.of("inventory-service", "inventory-service-8182"))
			.containsEntry(Landscape.GATEWAY, List.of("gateway", "gateway-8180"));
	}

	@AfterEach
	void stopTheLoad() throws InterruptedException {
		Load.stopAll();
	}

	@AfterAll
	static void stopTheLandscape() {
		if (landscape != null) {
			landscape.down();
		}
	}

	@Test
	@Order(1)
	void ordersFlowWhileTheInventoryMovesToTheServiceAndBackAndEveryInvariantHolds() throws Exception {
		setInitialStock();
		// the service was backfilled at its start and follows the monolith's adjustments
		await().atMost(Duration.ofSeconds(30))
			.until(() -> stock(service, LOW).path("available").asInt() == initial.get(LOW));

		// notifications extracted first (the map's step 4), so that the saga runs with
		// both
		// modules in services for the later steps
		Instant notificationsHandoff = new Cutover(landscape.landscape.configRepo()).move("notifications", "service");
		new Routes().awaitAppliedBy(gateways, ADMIN, "notifications", Mode.SERVICE, null, Duration.ofSeconds(10));
		Load load = new Load();
		load.start();
		Map<String, Double> switches = new LinkedHashMap<>();
		// orders in every mode: each switch once enough were placed since the one before
		await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(notificationsHandoff));
		load.awaitMore(ORDERS_PER_STEP);
		switches.put("shadow", route("shadow", null));
		load.awaitMore(ORDERS_PER_STEP);
		switches.put("canary 50", route("canary", 50));
		load.awaitMore(ORDERS_PER_STEP);
		// the orchestrated saga through a cutover and its rollback (its commands to the
		// inventory over RabbitMQ while the service owns it), then choreography again
		// while orchestrated orders are still in flight
		switches.put("saga orchestrated", sagaStyle("orchestration"));
		switches.put("cutover to the service", cutover("service", load));
		switches.put("rollback to the monolith", cutover("monolith", load));
		switches.put("saga choreographed", sagaStyle("choreography"));
		switches.put("cutover to the service again", cutover("service", load));
		load.stop();

		assertThat(load.failedOrders).as("orders not accepted").isEmpty();
		// nothing was killed: no order needed a second try, no read another gateway
		assertThat(load.retried).as("orders sent again").isEmpty();
		assertThat(load.reads.failovers).as("reads sent to the other gateway").isEmpty();
		Map<String, JsonNode> orders = load.awaitTerminal(Duration.ofSeconds(120));
		assertThat(load.ordersInTheDatabase()).as("orders of this load in the monolith's database")
			.isEqualTo(load.placed.size());
		everyOrder.putAll(orders);
		Map<String, Integer> byOutcome = new LinkedHashMap<>();
		orders.forEach((id, order) -> byOutcome.merge(order.path("status").asString(), 1, Integer::sum));
		System.out.printf("[cutover] %d orders placed during the run (%s), %d reads (%s); switches (s): %s%n",
				orders.size(), byOutcome, load.reads.total.get(), load.reads.served, switches);

		// each order as the monolith alone would have ended it
		for (Map.Entry<String, JsonNode> entry : orders.entrySet()) {
			Load.Placed placed = load.placed.get(entry.getKey());
			JsonNode order = entry.getValue();
			String status = order.path("status").asString();
			switch (placed.kind()) {
				case APPROVED -> assertThat(status).as(entry.getKey()).isEqualTo("CONFIRMED");
				case DECLINED -> assertThat(order.path("reason").asString()).as(entry.getKey()).contains("declined");
				case SHORT, LOW_STOCK -> {
					if (placed.kind() == Load.Kind.SHORT || status.equals("CANCELLED")) {
						assertThat(status).isEqualTo("CANCELLED");
						assertThat(order.path("reason").asString()).as(entry.getKey()).startsWith("Not enough stock");
					}
				}
			}
		}
		assertThat(byOutcome.getOrDefault("CONFIRMED", 0)).isPositive();
		// both styles took part, and every orchestrated saga's steps were answered, none
		// given up
		Map<String, Long> styles = sagaStyles(orders.keySet());
		System.out.printf("[cutover] orders by saga style: %s%n", styles);
		assertThat(styles).containsOnlyKeys("CHOREOGRAPHY", "ORCHESTRATION");
		assertThat(unansweredOrGivenUpSteps(orders.keySet())).as("orchestrated steps unanswered or given up").isZero();
		assertThat(load.placed.values().stream().filter((p) -> p.kind() == Load.Kind.LOW_STOCK).count())
			.as("the low-stock product ran out during the run")
			.isGreaterThan(initial.get(LOW));

		// stock conserved, and the same on both sides
		Map<String, Integer> sold = assertStockConserved(orders);
		assertThat(sold.get(LOW)).as("no more of the low-stock product sold than there was")
			.isEqualTo(initial.get(LOW));

		// each order decided exactly once, by the owner of its time; both owners decided
		Set<String> byMonolith = decidedByMonolith();
		Set<String> byService = decidedByService();
		System.out.printf("[cutover] decided by the monolith: %d, by the inventory-service: %d%n", byMonolith.size(),
				byService.size());
		assertThat(byMonolith).doesNotContainAnyElementsOf(byService);
		Set<String> decided = new HashSet<>(byMonolith);
		decided.addAll(byService);
		assertThat(decided).containsAll(orders.keySet());
		assertThat(byService).as("the service decided while it owned the inventory").isNotEmpty();
		assertThat(byMonolith).as("the monolith decided before and between").isNotEmpty();

		// one successful payment per confirmed order, none for a cancelled one; one
		// notification per order
		assertPaymentsAndNotifications(orders);

		// exactly one notification sent per order, by the owner of its outcome's time
		double sentByMonolith = metric(monolith, "shop_notifications_sent_total")
				+ metric(monolith2, "shop_notifications_sent_total");
		double sentByService = metric(URI.create("http://127.0.0.1:8083"), "shop_notifications_sent_total");
		System.out.printf("[cutover] notifications sent by the monolith: %.0f, by the notification-service: %.0f%n",
				sentByMonolith, sentByService);
		assertThat(sentByMonolith + sentByService).isEqualTo(orders.size());
		assertThat(sentByService).isPositive();

		// the same API: the same requests to both sides get the same answers
		for (String[] request : new String[][] { { "GET", "/api/inventory/" + LOW, null },
				{ "GET", "/api/inventory/" + java.util.UUID.randomUUID(), null },
				{ "GET", "/api/inventory/not-a-uuid", null }, { "PUT", "/api/inventory/" + LOW, "{\"available\": -1}" },
				{ "PUT", "/api/inventory/" + LOW, "{\"available\": " }, { "PUT", "/api/inventory/" + LOW, "{}" } }) {
			HttpResponse<String> fromMonolith = send(request[0], monolith, request[1], request[2]);
			HttpResponse<String> fromService = send(request[0], service, request[1], request[2]);
			assertThat(fromService.statusCode()).as(String.join(" ", request[0], request[1]))
				.isEqualTo(fromMonolith.statusCode());
			assertThat(json.readTree(fromService.body())).as(String.join(" ", request[0], request[1]))
				.isEqualTo(json.readTree(fromMonolith.body()));
			assertThat(fromService.headers().firstValue("Content-Type"))
				.isEqualTo(fromMonolith.headers().firstValue("Content-Type"));
		}

		// no event lost: nothing left in an outbox, nothing dead-lettered
		for (URI side : List.of(monolith, service)) {
			String database = side.equals(monolith) ? TestLandscape.DATABASES.get(0) : TestLandscape.DATABASES.get(2);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(metric(side, "kit_outbox_incomplete"))
					.as(() -> "incomplete publications of %s: %s".formatted(side, incomplete(database)))
					.isZero());
		}
		assertThat(deadLettered()).as("messages in the dead-letter queues").isEmpty();
		// ... and every event left through the CDC relay, none through the outbox relay
		for (String database : List.of(TestLandscape.DATABASES.get(0), TestLandscape.DATABASES.get(2))) {
			assertThat(publicationsByRelay(database)).as("publications in %s by relay", database)
				.containsOnlyKeys("dev.stranglerkit.messaging.CdcRelay")
				.allSatisfy((relay, count) -> assertThat(count).isPositive());
		}
		JsonNode reconciliation = json
			.readTree(Http.get(service.resolve("/actuator/reconciliation"), ADMIN).orElseThrow().body());
		assertThat(reconciliation.path("equal").asBoolean()).as(reconciliation.toString()).isTrue();
		assertThat(load.reads.failures).as("failed reads").isEmpty();
		assertThat(load.reads.served).containsKeys("monolith", "inventory-service");
		// both instances of each took part
		for (URI instance : List.of(monolith, monolith2)) {
			assertThat(served(instance, "/api/orders")).as("orders placed on " + instance).isPositive();
		}
		for (URI instance : List.of(service, service2)) {
			assertThat(served(instance, "/api/inventory/{productId}")).as("reads served by " + instance).isPositive();
		}
		// the Grafana dashboard of deploy/k8s reads only metrics the landscape exports
		Set<String> exported = new TreeSet<>();
		for (URI application : List.of(gateway, monolith, service, URI.create("http://127.0.0.1:8083"))) {
			PrometheusText
				.parse(Http.get(application.resolve("/actuator/prometheus"), ADMIN, "text/plain").orElseThrow().body())
				.forEach((sample) -> exported.add(sample.name()));
		}
		assertThat(exported).as("metrics the landscape exports")
			.containsAll(Dashboard.read(Path.of("..").resolve(Dashboard.FILE)).metrics());
	}

	/**
	 * Then, with the inventory in the service, under orders and reads through both
	 * gateways: one instance of each application that runs two is killed (SIGKILL), the
	 * inventory-service's, the monolith's, then the gateway's. No read fails: a read that
	 * finds a dead instance behind the gateway is retried there on the other instance,
	 * and the gateway takes the dead one out of rotation within 5 seconds; a read whose
	 * gateway died is sent to the other gateway, as the load balancer in front of them
	 * does. Every order is accepted (a client with no answer sends it again with the same
	 * {@code Idempotency-Key}: no second order) and ends, each decided once, stock
	 * conserved, one payment and one notification per order.
	 */
	@Test
	@Order(2)
	void killingOneInstanceOfEachFailsNoReadAndLosesNoOrder() throws Exception {
		route("service", null);
		Load load = new Load();
		load.startOrders();
		load.startReads(3);
		// reads the monolith serves too, through both gateways
		GatewayReads catalog = new GatewayReads(http, gateways, "/api/catalog/products", 1, false,
				Duration.ofMillis(20));
		catalog.start();
		try {
			// every instance serves
			await().atMost(Duration.ofSeconds(20))
				.until(() -> served(service2, "/api/inventory/{productId}") > 0
						&& served(monolith2, "/api/catalog/products") > 0);
			double before = served(service2, "/api/inventory/{productId}");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> served(service2, "/api/inventory/{productId}") > before + 5);

			double ejected = ejections();
			long killed = System.nanoTime();
			assertThat(landscape.launcher.kill("inventory-service-8182")).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> ejections() > ejected);
			double outOfRotation = (System.nanoTime() - killed) / 1e9;

			double ejectedBefore = ejections();
			assertThat(landscape.launcher.kill("monolith-8181")).isTrue();
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> ejections() > ejectedBefore);
			int ordersBefore = load.placed.size();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.placed.size() > ordersBefore + 5);

			assertThat(landscape.launcher.kill("gateway-8180")).isTrue();
			// the load goes on through the gateway left, none failing
			int afterGateway = load.placed.size();
			await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				assertThat(load.reads.failures).as("failed inventory reads").isEmpty();
				assertThat(catalog.failures).as("failed catalog reads").isEmpty();
				assertThat(load.failedOrders).as("orders not accepted").isEmpty();
			});
			assertThat(load.placed.size()).as("orders placed after the gateway's kill").isGreaterThan(afterGateway);
			load.stop();
			catalog.stop();

			System.out.printf(
					"[instances] killed inventory-service-8182, monolith-8181 and gateway-8180 under %d inventory and %d "
							+ "catalog reads and %d orders: the service instance out of the gateway's rotation after "
							+ "%.2f s; %d failed reads, %d reads sent to the other gateway, %d orders sent again (%s)%n",
					load.reads.total.get(), catalog.total.get(), load.placed.size(), outOfRotation,
					load.reads.failures.size() + catalog.failures.size(),
					load.reads.failovers.size() + catalog.failovers.size(), load.retried.size(), load.retried);
			assertThat(load.reads.failures).as("failed inventory reads").isEmpty();
			assertThat(catalog.failures).as("failed catalog reads").isEmpty();
			assertThat(load.failedOrders).as("orders not accepted").isEmpty();
			assertThat(load.reads.failovers.size() + catalog.failovers.size())
				.as("reads the balancer sent to the other gateway once one was gone")
				.isPositive();
			assertThat(load.reads.total.get()).isGreaterThan(100);
			assertThat(outOfRotation).isLessThan(5);
		}
		finally {
			catalog.stop();
		}

		// every order ended as the invariants say, no order twice for one key
		Map<String, JsonNode> orders = load.awaitTerminal(Duration.ofSeconds(120));
		// no order twice: a retry with its key placed none beside the first
		assertThat(load.ordersInTheDatabase()).as("orders of this load in the monolith's database")
			.isEqualTo(load.placed.size());
		everyOrder.putAll(orders);
		assertStockConserved(everyOrder);
		Set<String> byMonolith = decidedByMonolith();
		Set<String> byService = decidedByService();
		assertThat(byService).as("decided by the service, the owner").containsAll(orders.keySet());
		assertThat(byMonolith).doesNotContainAnyElementsOf(orders.keySet());
		assertPaymentsAndNotifications(orders);
		assertThat(deadLettered()).as("messages in the dead-letter queues").isEmpty();
	}

	/** how many instances the gateways have taken out of rotation, both together */
	private static double ejections() {
		double ejected = 0;
		for (URI instance : gateways) {
			ejected += Http.get(instance.resolve("/actuator/prometheus"), ADMIN, "text/plain")
				.map((response) -> PrometheusText.sum(response.body(), "strangler_instances_ejected_total"))
				.orElse(0.0);
		}
		return ejected;
	}

	/**
	 * Then orders stranded on purpose, and the recovery. With the inventory in the
	 * service, the inventory-service is killed (SIGKILL) and orders are placed: they are
	 * the service's to decide, and wait in its queue. The inventory goes back to the
	 * monolith while the service is down (a side with no instance has nothing to
	 * confirm). The orders placed after that end at once: the monolith keeps back what
	 * the stranded ones ask for instead of waiting for them. The stranded orders are
	 * reported overdue by the monolith's metric, the console and {@code ./kit doctor};
	 * the recovery the doctor names (start the decider) ends them, each decided once, and
	 * every invariant holds.
	 */
	@Test
	@Order(3)
	void strandedOrdersAreReportedAndRecoveredAndBlockNoOrderAfterThem() throws Exception {
		String product = "00000000-0000-0000-0000-000000000001";
		int available = stock(monolith, product).path("available").asInt();
		assertThat(landscape.launcher.kill("inventory-service")).isTrue();
		List<String> stranded = placeOrders(product, 4);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> metric(monolith, "kit_ownership_awaited_decisions") == stranded.size());

		Instant rollback = new Cutover(landscape.landscape.configRepo()).move("inventory", "monolith");
		new Routes().awaitApplied(gateway, ADMIN, "inventory", Mode.MONOLITH, null, Duration.ofSeconds(10));
		// the orders after it are the monolith's
		await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(rollback.plusSeconds(1)));
		List<String> later = placeOrders(product, 4);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> later.stream().allMatch((id) -> status(id).equals("CONFIRMED")));
		assertThat(stranded).as("the stranded orders, their decider down")
			.allMatch((id) -> status(id).equals("PENDING"));

		// reported: the metric, the console, ./kit doctor with the recovery
		await().atMost(Duration.ofSeconds(60))
			.until(() -> metric(monolith, "kit_ownership_overdue_decisions") == stranded.size());
		JsonNode outbox = StreamSupport.stream(consoleState().path("outboxes").spliterator(), false)
			.filter((row) -> row.path("app").asString().equals("monolith"))
			.findFirst()
			.orElseThrow();
		assertThat(outbox.path("overdueDecisions").asDouble()).isEqualTo(stranded.size());
		// (and the console shows the monolith's relay: change data capture, through its
		// slot)
		assertThat(outbox.path("relay").asString()).isEqualTo("cdc");
		assertThat(outbox.path("slot").asString()).isEqualTo("kit_outbox_" + TestLandscape.DATABASES.get(0));
		assertThat(outbox.path("slotBehindBytes").asDouble()).isNotNegative();
		String doctor = doctor();
		assertThat(doctor)
			.contains("monolith: %d order(s) have waited too long for the inventory decision of the "
				.formatted(stranded.size()) + "inventory-service")
			.contains("./kit up inventory-service");

		// the recovery: the decider started again decides them from its queue
		landscape.up(List.of(List.of(landscape.app("inventory-service"))));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> stranded.stream().allMatch((id) -> status(id).equals("CONFIRMED")));
		await().atMost(Duration.ofSeconds(30)).until(() -> metric(monolith, "kit_ownership_overdue_decisions") == 0);

		Set<String> byService = decidedByService();
		Set<String> byMonolith = decidedByMonolith();
		assertThat(byService).containsAll(stranded).doesNotContainAnyElementsOf(later);
		assertThat(byMonolith).containsAll(later).doesNotContainAnyElementsOf(stranded);
		int sold = stranded.size() + later.size();
		for (URI side : List.of(monolith, service)) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode stock = stock(side, product);
				assertThat(stock.path("available").asInt()).as(side.toString()).isEqualTo(available - sold);
				assertThat(stock.path("reserved").asInt()).as(side.toString()).isZero();
			});
		}
		Map<String, JsonNode> orders = new LinkedHashMap<>();
		for (String id : stranded) {
			orders.put(id, json.readTree(send("GET", gateway, "/api/orders/" + id, null).body()));
		}
		for (String id : later) {
			orders.put(id, json.readTree(send("GET", gateway, "/api/orders/" + id, null).body()));
		}
		assertPaymentsAndNotifications(orders);
		assertThat(deadLettered()).as("messages in the dead-letter queues").isEmpty();
		System.out.printf(
				"[stranded] %d orders stranded with the inventory-service down, %d placed after the "
						+ "rollback confirmed meanwhile; all ended once the service was back%n",
				stranded.size(), later.size());
	}

	/**
	 * The config server down while the inventory-service, which owns the inventory,
	 * starts again: it starts from its last known configuration and holds every decision
	 * by ownership, since a handoff may have been written meanwhile. Its consumer does
	 * not start (the orders placed meanwhile wait in its queue, PENDING), a write only
	 * the owner may make is a 503 problem, its health says so, and reads are served. Once
	 * the config server is back, it takes the server's configuration and decides them,
	 * each once, with the stock conserved on both sides.
	 */
	@Test
	@Order(4)
	void anOwnerStartedWhileTheConfigServerIsDownHoldsItsDecisionsUntilTheServerAnswers() throws Exception {
		String product = "00000000-0000-0000-0000-000000000002";
		Instant handoff = new Cutover(landscape.landscape.configRepo()).move("inventory", "service");
		new Routes().awaitApplied(gateway, ADMIN, "inventory", Mode.SERVICE, null, Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(handoff.plusSeconds(3)));
		int available = stock(service, product).path("available").asInt();

		assertThat(landscape.launcher.kill(Landscape.CONFIG_SERVER)).isTrue();
		List<String> held;
		try {
			assertThat(landscape.launcher.kill("inventory-service")).isTrue();
			landscape.up(List.of(List.of(landscape.app("inventory-service"))));
			assertThat(configHealth(service)).contains("\"source\":\"last-known\"").contains("\"decisions\":\"held\"");
			assertThat(consumers("inventory-service")).as("consumers of the service's queue").isZero();
			assertThat(stock(service, product).path("available").asInt()).isEqualTo(available);
			HttpResponse<String> write = send("PUT", service, "/api/inventory/" + product,
					"{\"available\": " + available + "}");
			assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
			assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(write.headers().firstValue("Retry-After")).isPresent();
			assertThat(write.body()).contains("not confirmed").doesNotContain("Exception");

			held = placeOrders(product, 3);
			await().during(Duration.ofSeconds(5))
				.atMost(Duration.ofSeconds(10))
				.until(() -> held.stream().allMatch((id) -> status(id).equals("PENDING")));
		}
		finally {
			landscape.up(List.of(List.of(landscape.app(Landscape.CONFIG_SERVER))));
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> held.stream().allMatch((id) -> status(id).equals("CONFIRMED")));
		assertThat(configHealth(service)).contains("\"source\":\"config-server\"").contains("\"decisions\":\"made\"");
		assertThat(consumers("inventory-service")).isPositive();
		assertThat(decidedByService()).containsAll(held);
		assertThat(decidedByMonolith()).doesNotContainAnyElementsOf(held);
		for (URI side : List.of(monolith, service)) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode stock = stock(side, product);
				assertThat(stock.path("available").asInt()).as(side.toString()).isEqualTo(available - held.size());
				assertThat(stock.path("reserved").asInt()).as(side.toString()).isZero();
			});
		}
		Map<String, JsonNode> orders = new LinkedHashMap<>();
		for (String id : held) {
			orders.put(id, json.readTree(send("GET", gateway, "/api/orders/" + id, null).body()));
		}
		assertPaymentsAndNotifications(orders);
		assertThat(deadLettered()).as("messages in the dead-letter queues").isEmpty();
	}

	/** an application's {@code GET /actuator/health/config}, spaces taken out */
	private static String configHealth(URI application) {
		return Http.get(application.resolve("/actuator/health/config"), null)
			.map((response) -> response.body().replace(" ", ""))
			.orElse("");
	}

	/** how many consumers a queue of the landscape has */
	private static long consumers(String queue) throws Exception {
		return onTheBroker((channel) -> channel.consumerCount(queue));
	}

	/** what the landscape's RabbitMQ virtual host answers, on a channel of its own */
	private static <T> T onTheBroker(BrokerQuery<T> query) throws Exception {
		ConnectionFactory rabbit = new ConnectionFactory();
		rabbit.setHost("127.0.0.1");
		rabbit.setVirtualHost(TestLandscape.VHOST);
		try (com.rabbitmq.client.Connection connection = rabbit.newConnection();
				Channel channel = connection.createChannel()) {
			return query.ask(channel);
		}
	}

	interface BrokerQuery<T> {

		T ask(Channel channel) throws Exception;

	}

	/** Places approved orders of one item each through the gateway; their ids. */
	private static List<String> placeOrders(String product, int count) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			HttpResponse<String> response = send("POST", gateway, "/api/orders",
					"""
							{"customerId": "c-stranded", "card": "4242424242424242", "lines": [{"productId": "%s", "quantity": 1}]}"""
						.formatted(product));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			String location = response.headers().firstValue("Location").orElseThrow();
			ids.add(location.substring(location.lastIndexOf('/') + 1));
		}
		return ids;
	}

	private static String status(String order) {
		try {
			return json.readTree(send("GET", gateway, "/api/orders/" + order, null).body()).path("status").asString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What the migration console shows, read as its page does after a login. */
	private static JsonNode consoleState() throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager())
			.build();
		URI console = URI.create("http://127.0.0.1:8888/console/");
		String form = browser
			.send(HttpRequest.newBuilder(console.resolve("login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
		assertThat(csrf.find()).as(form).isTrue();
		browser.send(HttpRequest.newBuilder(console.resolve("login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=console&password=console-secret&_csrf=" + csrf.group(1)))
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> state = browser.send(HttpRequest.newBuilder(console.resolve("api/state")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
		return json.readTree(state.body());
	}

	/** {@code ./kit doctor}, as a user runs it; what it printed. */
	private static String doctor() throws Exception {
		Process doctor = new ProcessBuilder("bash", TestLandscape.home.resolve("kit").toString(), "doctor")
			.redirectErrorStream(true)
			.start();
		String out = new String(doctor.getInputStream().readAllBytes());
		doctor.waitFor();
		System.out.println("[stranded] ./kit doctor:\n" + out);
		return out;
	}

	/**
	 * How many requests of one path pattern an instance has served (its own request
	 * metrics).
	 */
	private static double served(URI instance, String uri) {
		return Http.get(instance.resolve("/actuator/prometheus"), ADMIN, "text/plain")
			.map((response) -> PrometheusText.parse(response.body())
				.stream()
				.filter((sample) -> sample.name().equals("http_server_requests_seconds_count")
						&& sample.label("uri").equals(uri))
				.mapToDouble(PrometheusText.Sample::value)
				.sum())
			.orElse(0.0);
	}

	/**
	 * Switches the inventory route as {@code ./kit route} does; the seconds the slower of
	 * the gateways that run took to apply it.
	 */
	private static double route(String mode, Integer percent) {
		landscape.route("inventory", mode, percent);
		return applied(Mode.parse(mode), percent);
	}

	/**
	 * Waits until every gateway that runs has applied the inventory route; each one's
	 * time is printed, the slowest returned.
	 */
	private static double applied(Mode mode, Integer percent) {
		List<URI> running = gateways.stream().filter((instance) -> Launcher.portInUse(instance.getPort())).toList();
		Map<URI, Duration> took = new Routes().awaitAppliedBy(running, ADMIN, "inventory", mode, percent,
				Duration.ofSeconds(10));
		System.out.printf("[switch] inventory -> %s applied by %s%n", mode, took.entrySet()
			.stream()
			.map((each) -> "%s in %.2f s".formatted(each.getKey().getAuthority(), each.getValue().toMillis() / 1000.0))
			.toList());
		return took.values().stream().mapToLong(Duration::toMillis).max().orElseThrow() / 1000.0;
	}

	/**
	 * Moves ownership and the route as {@code ./kit cutover} does, and lets the orders
	 * run on past the handoff (until as many as between two switches were placed after
	 * it); the seconds the gateway took to apply the route.
	 */
	private static double cutover(String to, Load load) {
		Instant handoff = new Cutover(landscape.landscape.configRepo()).move("inventory", to);
		double took = applied(Owner.of(to).routeMode(), null);
		await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(handoff));
		load.awaitMore(ORDERS_PER_STEP);
		return took;
	}

	/**
	 * Switches the style of new orders' sagas as {@code ./kit saga} does; the seconds the
	 * slower monolith took to apply it.
	 */
	private static double sagaStyle(String style) {
		new SagaStyles(landscape.landscape.configRepo()).change(style);
		Map<URI, Duration> took = SagaStyles.awaitAppliedBy(List.of(monolith, monolith2), ADMIN, style,
				Duration.ofSeconds(15));
		System.out.printf("[switch] saga style -> %s applied in %s%n", style, took.values());
		return took.values().stream().mapToLong(Duration::toMillis).max().orElseThrow() / 1000.0;
	}

	/** The orders of each saga style, from the monolith's database. */
	static Map<String, Long> sagaStyles(Set<String> orders) throws Exception {
		Map<String, Long> styles = new TreeMap<>();
		try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(TestLandscape.DATABASES.get(0)),
				"postgres", "");
				PreparedStatement query = connection.prepareStatement(
						"SELECT saga_style, count(*) FROM orders.orders WHERE id::text = ANY (?) GROUP BY saga_style")) {
			query.setArray(1, connection.createArrayOf("text", orders.toArray()));
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					styles.put(rows.getString(1), rows.getLong(2));
				}
			}
		}
		return styles;
	}

	/** The steps of the orders' orchestrated sagas not answered, or given up. */
	static long unansweredOrGivenUpSteps(Set<String> orders) throws Exception {
		try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(TestLandscape.DATABASES.get(0)),
				"postgres", ""); PreparedStatement query = connection.prepareStatement("""
						SELECT count(*) FROM orders.saga_steps WHERE order_id::text = ANY (?)
						AND (answered_at IS NULL OR answer = 'TIMED_OUT')""")) {
			query.setArray(1, connection.createArrayOf("text", orders.toArray()));
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	/** Sets each product's stock to {@link #initial}, through the gateway. */
	static void setInitialStock() throws Exception {
		for (Map.Entry<String, Integer> stock : initial.entrySet()) {
			HttpResponse<String> set = send("PUT", gateway, "/api/inventory/" + stock.getKey(),
					"{\"available\": " + stock.getValue() + "}");
			assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
		}
	}

	/**
	 * Stock conserved, and the same on both sides: for each product, {@link #initial}
	 * minus what the confirmed orders took is available, and nothing is reserved.
	 * @param orders every order placed since the stock was set, each terminal
	 * @return product -> the quantity sold
	 */
	static Map<String, Integer> assertStockConserved(Map<String, JsonNode> orders) {
		Map<String, Integer> sold = new LinkedHashMap<>();
		initial.keySet().forEach((product) -> sold.put(product, 0));
		orders.forEach((id, order) -> {
			if (order.path("status").asString().equals("CONFIRMED")) {
				order.path("lines")
					.forEach((line) -> sold.merge(line.path("productId").asString(), line.path("quantity").asInt(),
							Integer::sum));
			}
		});
		for (String product : initial.keySet()) {
			int expected = initial.get(product) - sold.get(product);
			for (URI side : List.of(monolith, service)) {
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					JsonNode stock = stock(side, product);
					assertThat(stock.path("available").asInt()).as(side + " " + product).isEqualTo(expected);
					assertThat(stock.path("reserved").asInt()).as(side + " " + product).isZero();
				});
			}
		}
		return sold;
	}

	/**
	 * One successful payment per confirmed order and none for a cancelled one; one
	 * notification per order.
	 */
	static void assertPaymentsAndNotifications(Map<String, JsonNode> orders) throws Exception {
		for (Map.Entry<String, JsonNode> entry : orders.entrySet()) {
			JsonNode payments = json
				.readTree(send("GET", gateway, "/api/payments?orderId=" + entry.getKey(), null).body());
			long succeeded = 0;
			for (JsonNode payment : payments) {
				succeeded += payment.path("status").asString().equals("SUCCEEDED") ? 1 : 0;
			}
			assertThat(succeeded).as("successful payments of " + entry.getKey())
				.isEqualTo(entry.getValue().path("status").asString().equals("CONFIRMED") ? 1 : 0);
			// (the notification follows the order's outcome)
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(
						json.readTree(send("GET", gateway, "/api/notifications?orderId=" + entry.getKey(), null).body())
							.size())
					.as("notifications of " + entry.getKey())
					.isEqualTo(1));
		}
	}

	/** The orders whose reservation the monolith decided. */
	static Set<String> decidedByMonolith() throws Exception {
		return decided(TestLandscape.DATABASES.get(0), "dev.stranglerkit.shop.inventory.");
	}

	/** The orders whose reservation the inventory-service decided. */
	static Set<String> decidedByService() throws Exception {
		return decided(TestLandscape.DATABASES.get(2), "dev.stranglerkit.inventory.");
	}

	/**
	 * The orders whose reservation a side decided (a StockReserved or StockShortage it
	 * published).
	 */
	private static Set<String> decided(String database, String eventTypePrefix) throws Exception {
		Set<String> orders = new HashSet<>();
		try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(database), "postgres", "");
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT DISTINCT (serialized_event::jsonb)->>'orderId' FROM event_publication "
							+ "WHERE event_type IN ('" + eventTypePrefix + "StockReserved', '" + eventTypePrefix
							+ "StockShortage')")) {
			while (rows.next()) {
				orders.add(rows.getString(1));
			}
		}
		return orders;
	}

	private static Map<String, Long> deadLettered() throws Exception {
		return onTheBroker((channel) -> {
			Map<String, Long> counts = new LinkedHashMap<>();
			for (String queue : TestLandscape.QUEUES) {
				long count = channel.messageCount(queue + ".dlq");
				if (count > 0) {
					counts.put(queue + ".dlq", count);
				}
			}
			return counts;
		});
	}

	/** the incomplete publications in the database, by listener, status and attempts */
	private static List<String> incomplete(String database) {
		List<String> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(database), "postgres", "");
				ResultSet incomplete = connection.createStatement()
					.executeQuery(
							"""
									SELECT listener_id, status, completion_attempts, count(*),
									  extract(epoch FROM now() - min(publication_date))::int,
									  (array_agg(id::text || ' ' || event_type || ' ' || publication_date ORDER BY publication_date))[1:5]
									FROM event_publication WHERE completion_date IS NULL
									GROUP BY listener_id, status, completion_attempts""")) {
			while (incomplete.next()) {
				rows.add("%s %s attempts %d: %d, oldest %d s %s".formatted(incomplete.getString(1),
						incomplete.getString(2), incomplete.getInt(3), incomplete.getLong(4), incomplete.getLong(5),
						incomplete.getString(6)));
			}
		}
		catch (SQLException ex) {
			rows.add("(could not read them: " + ex.getMessage() + ")");
		}
		return rows;
	}

	/**
	 * the externalized events' publications in the database, by the relay that sent them
	 */
	private static Map<String, Long> publicationsByRelay(String database) throws SQLException {
		Map<String, Long> counts = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(database), "postgres", "");
				ResultSet rows = connection.createStatement()
					.executeQuery(
							"""
									SELECT listener_id, count(*) FROM event_publication
									WHERE listener_id IN ('dev.stranglerkit.messaging.CdcRelay',
									  'org.springframework.modulith.events.support.EventExternalizerModuleListener.externalize(java.lang.Object)')
									GROUP BY listener_id""")) {
			while (rows.next()) {
				counts.put(rows.getString(1), rows.getLong(2));
			}
		}
		return counts;
	}

	private static double metric(URI application, String name) {
		return metric(application, name, ADMIN);
	}

	private static double metric(URI application, String name, String credentials) {
		return PrometheusText.sum(
				Http.get(application.resolve("/actuator/prometheus"), credentials, "text/plain").orElseThrow().body(),
				name);
	}

	private static JsonNode stock(URI side, String product) throws Exception {
		return json.readTree(send("GET", side, "/api/inventory/" + product, null).body());
	}

	static HttpResponse<String> send(String method, URI base, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return http.send(
				request
					.method(method,
							(body != null) ? HttpRequest.BodyPublishers.ofString(body)
									: HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Two clients placing orders and one reading stock, through the gateway, until
	 * stopped.
	 */
	static final class Load {

		enum Kind {

			APPROVED, DECLINED, SHORT, LOW_STOCK

		}

		record Placed(Kind kind, String product, int quantity) {
		}

		final Map<String, Placed> placed = new ConcurrentHashMap<>();

		final ConcurrentLinkedQueue<String> failedOrders = new ConcurrentLinkedQueue<>();

		/** the orders sent again with their key (to the other gateway), and why */
		final ConcurrentLinkedQueue<String> retried = new ConcurrentLinkedQueue<>();

		/** how this load's customers are named: its orders are told apart by them */
		final String customers = "c-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";

		/** how many orders of this load's customers the monolith's database holds */
		long ordersInTheDatabase() throws SQLException {
			try (Connection connection = DriverManager.getConnection(TestLandscape.jdbc(TestLandscape.DATABASES.get(0)),
					"postgres", "");
					var count = connection
						.prepareStatement("SELECT count(*) FROM orders.orders WHERE customer_id LIKE ?")) {
				count.setString(1, this.customers + "%");
				try (ResultSet rows = count.executeQuery()) {
					rows.next();
					return rows.getLong(1);
				}
			}
		}

		final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicInteger sequence = new AtomicInteger();

		final List<Thread> threads = new ArrayList<>();

		/**
		 * every load not stopped yet: a test that fails half-way leaves its load to
		 * {@link #stopAll()}, never running on into the next tests
		 */
		static final Set<Load> started = ConcurrentHashMap.newKeySet();

		static void stopAll() throws InterruptedException {
			for (Load load : List.copyOf(started)) {
				load.stop();
			}
		}

		void start() {
			startOrders();
			startReads(1);
		}

		/** the two clients placing orders, without the reads */
		void startOrders() {
			started.add(this);
			for (int i = 0; i < 2; i++) {
				this.threads.add(Thread.ofPlatform().name("orders-" + i).start(this::placeOrders));
			}
		}

		/** stock reads of one product, by the landscape tests' shared reader */
		GatewayReads reads;

		void startReads(int clients) {
			started.add(this);
			this.reads = new GatewayReads(http, gateways, "/api/inventory/00000000-0000-0000-0000-000000000001",
					clients, false, Duration.ofMillis(20));
			this.reads.start();
		}

		void stop() throws InterruptedException {
			started.remove(this);
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join();
			}
			if (this.reads != null) {
				this.reads.stop();
			}
		}

		private void placeOrders() {
			while (this.running.get()) {
				int n = this.sequence.incrementAndGet();
				Kind kind = switch (n % 5) {
					case 0, 1 -> Kind.APPROVED;
					case 2 -> Kind.LOW_STOCK;
					case 3 -> Kind.DECLINED;
					default -> Kind.SHORT;
				};
				String product = switch (kind) {
					case LOW_STOCK, SHORT -> LOW;
					case APPROVED ->
						(n % 2 == 0) ? "00000000-0000-0000-0000-000000000001" : "00000000-0000-0000-0000-000000000002";
					default -> "00000000-0000-0000-0000-000000000002";
				};
				int quantity = (kind == Kind.SHORT) ? 1000 : 1 + n % 2;
				if (kind == Kind.LOW_STOCK) {
					quantity = 1;
				}
				String card = (kind == Kind.DECLINED) ? "4000000000000002" : "4242424242424242";
				try {
					String key = "cutover-" + java.util.UUID.randomUUID();
					HttpResponse<String> response = placeOrder(n, key, """
							{"customerId": "%s%d", "card": "%s", "lines": [{"productId": "%s", "quantity": %d}]}"""
						.formatted(this.customers, n, card, product, quantity));
					if (response.statusCode() != 202) {
						throw new IllegalStateException(
								"order not accepted: " + response.statusCode() + " " + response.body());
					}
					String location = response.headers().firstValue("Location").orElseThrow();
					String id = location.substring(location.lastIndexOf('/') + 1);
					this.placed.put(id, new Placed(kind, product, quantity));
					Thread.sleep(150);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (Exception ex) {
					this.failedOrders.add(ex.toString());
				}
			}
		}

		/**
		 * Places one order through the gateways in turn, with an {@code Idempotency-Key}.
		 * A client with no answer (its gateway gone, the connection reset) or a 502, 503
		 * or 504 sends it again with the same key to the next gateway, after a back-off
		 * (0.2, 0.4, 0.8 s: the gateways take a dead instance out of rotation on its
		 * first refused connection), as a client may: the same order, never a second one.
		 */
		private HttpResponse<String> placeOrder(int n, String key, String body) throws Exception {
			for (int attempt = 0;; attempt++) {
				URI through = gateways.get((n + attempt) % gateways.size());
				HttpRequest request = HttpRequest.newBuilder(through.resolve("/api/orders"))
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", key)
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build();
				String why;
				try {
					HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
					if (!List.of(502, 503, 504).contains(response.statusCode())) {
						return response;
					}
					why = response.statusCode() + " " + response.body();
				}
				catch (java.io.IOException ex) {
					why = ex.toString();
				}
				if (attempt == 3) {
					throw new IllegalStateException("no order after 4 tries with the key " + key + ": " + why);
				}
				this.retried.add(through.getAuthority() + ": " + why);
				Thread.sleep(Duration.ofMillis(200L << attempt));
			}
		}

		/** Waits until this many more orders were placed than now. */
		void awaitMore(int orders) {
			int now = this.placed.size();
			await().atMost(Duration.ofSeconds(30)).until(() -> this.placed.size() >= now + orders);
		}

		/**
		 * Waits until every order placed is CONFIRMED or CANCELLED; each one's last
		 * answer.
		 */
		Map<String, JsonNode> awaitTerminal(Duration within) throws Exception {
			Map<String, JsonNode> orders = new LinkedHashMap<>();
			long deadline = System.nanoTime() + within.toNanos();
			for (String id : this.placed.keySet()) {
				// (asked at once, and at least once however little time is left)
				orders.put(id, await().alias("order " + id + " CONFIRMED or CANCELLED")
					.atMost(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(200))
					.until(() -> json.readTree(send("GET", gateway, "/api/orders/" + id, null).body()),
							(order) -> List.of("CONFIRMED", "CANCELLED").contains(order.path("status").asString())));
			}
			return orders;
		}

	}

}
