package dev.stranglerkit.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole landscape, each application its own process started by the launcher as
 * {@code ./kit up} starts it: config server (on a copy of config-repo), Eureka, the
 * monolith, the gateway, and a stand-in inventory service (the monolith's jar under the
 * service's name and port, until the real one is extracted). While reads stream through
 * the gateway, the inventory route is switched by editing config-repo/gateway.yml, the
 * way {@code ./kit route} does: each switch reaches the gateway within 2 seconds and no
 * request fails. Then the service is stopped: it leaves Eureka within 5 seconds and reads
 * keep succeeding.
 */
class GatewaySwitchLandscapeIT {

	static final String ADMIN = "admin:admin-secret";

	static TestLandscape landscape;

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	static final URI gateway = URI.create("http://127.0.0.1:8080");

	@BeforeAll
	static void startTheLandscape() {
		landscape = new TestLandscape();
		App monolith = landscape.app(Landscape.MONOLITH);
		App standIn = standIn();
		// The stand-in starts once the monolith is up: two processes that create
		// Modulith's event publication table in one fresh database at the same moment
		// can collide (PostgreSQL's CREATE INDEX IF NOT EXISTS is not safe against a
		// concurrent one: "duplicate key value violates unique constraint
		// pg_class_relname_nsp_index").
		landscape
			.up(List.of(List.of(landscape.app(Landscape.CONFIG_SERVER)), List.of(landscape.app(Landscape.DISCOVERY)),
					List.of(monolith), List.of(standIn, landscape.app(Landscape.GATEWAY))));
	}

	@AfterAll
	static void stopTheLandscape() {
		if (landscape != null) {
			landscape.down();
		}
	}

	@Test
	void theInventoryRouteMovesUnderLoadWithinTwoSecondsAndNothingFails() throws Exception {
		String product = firstProduct();
		String path = "/api/inventory/" + product;
		// both instances in the gateway's view of Eureka before the first switch
		await().atMost(Duration.ofSeconds(60)).until(() -> registered("INVENTORY-SERVICE") && registered("MONOLITH"));

		GatewayReads load = new GatewayReads(http, gateway, path, 4, false, Duration.ZERO);
		load.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.served.getOrDefault("monolith", 0) > 20);
			// the switch is measured on a landscape that has settled: right after its
			// start the applications still migrate fresh databases and compile their hot
			// paths on the same cores, which slows a first switch down
			Thread.sleep(10_000);

			Duration toService = switchAndMeasure(load, "service", null, "inventory-service");
			Duration toMonolith = switchAndMeasure(load, "monolith", null, "monolith");
			Duration toServiceAgain = switchAndMeasure(load, "service", null, "inventory-service");
			System.out.printf("[landscape] switch monolith -> service %d ms, back %d ms, again %d ms%n",
					toService.toMillis(), toMonolith.toMillis(), toServiceAgain.toMillis());
			assertThat(toService).isLessThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(toMonolith).isLessThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(toServiceAgain).isLessThanOrEqualTo(Duration.ofSeconds(2));

			// the service stopped while it has the route: it leaves Eureka within 5 s,
			// and
			// the gateway falls back to the monolith (which still has the module)
			long stopped = System.nanoTime();
			// (stop waits for the process to exit, which takes a few seconds more)
			java.util.concurrent.CompletableFuture<Boolean> stopping = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> landscape.launcher.stop("inventory-service"));
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> !registered("INVENTORY-SERVICE"));
			Duration gone = Duration.ofNanos(System.nanoTime() - stopped);
			assertThat(stopping.join()).isTrue();
			long afterwards = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.countSince(afterwards) >= 50);
			System.out.printf("[landscape] stopped service left rotation after %d ms%n", gone.toMillis());
			assertThat(gone).isLessThanOrEqualTo(Duration.ofSeconds(5));
			assertThat(load.servedBySince(afterwards)).containsOnly("monolith");
		}
		finally {
			load.stop();
		}
		System.out.printf("[landscape] %d reads, served by %s, failures %s%n", load.total.get(), load.served,
				load.failures);
		assertThat(load.failures).isEmpty();
		assertThat(load.total.get()).isGreaterThan(200);
	}

	/**
	 * Safe by default: every application listens on the loopback interface only; on each
	 * one's port every actuator endpoint but health, reads and writes alike, refuses a
	 * caller without the operators' credential; and a message on springCloudBus that
	 * would set a property of every application (env) or stop them (shutdown) changes
	 * nothing: the refresh sent after it (a route change) is applied as the file says,
	 * and every application still runs.
	 */
	@Test
	void theDefaultModeRefusesProbesOnEveryPort() throws Exception {
		Map<String, Integer> ports = Map.of(Landscape.CONFIG_SERVER, 8888, Landscape.DISCOVERY, 8761,
				Landscape.MONOLITH, 8081, Landscape.GATEWAY, 8080);
		List<String> outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
			.stream()
			.flatMap(java.net.NetworkInterface::inetAddresses)
			.filter((address) -> !address.isLoopbackAddress() && address instanceof java.net.Inet4Address)
			.map(java.net.InetAddress::getHostAddress)
			.toList();
		ports.forEach((app, port) -> {
			URI local = URI.create("http://127.0.0.1:" + port);
			assertThat(Http.get(local.resolve("/actuator/health"), null)).as(app)
				.hasValueSatisfying((response) -> assertThat(response.statusCode()).isEqualTo(200));
			for (String endpoint : List.of("env", "prometheus", "configprops", "beans", "loggers", "heapdump")) {
				assertThat(Http.get(local.resolve("/actuator/" + endpoint), null)).as("%s /actuator/%s", app, endpoint)
					.hasValueSatisfying((response) -> assertThat(response.statusCode()).isEqualTo(401));
			}
			assertThat(post(local.resolve("/actuator/loggers/ROOT"), "{\"configuredLevel\":\"TRACE\"}"))
				.as("%s: a write to the actuator", app)
				.isIn(401, 403);
			for (String address : outside) {
				assertThat(Http.listening(URI.create("http://" + address + ":" + port)))
					.as("%s on %s (not loopback)", app, address)
					.isFalse();
			}
		});
		System.out.printf("[landscape] probes refused on %s; not listening on %s%n", ports.keySet(), outside);
		assertThat(Http.get(URI.create("http://127.0.0.1:8081/actuator/prometheus"), ADMIN, "text/plain"))
			.hasValueSatisfying((response) -> assertThat(response.statusCode()).isEqualTo(200));

		// the bus: what any holder of a broker credential could send to every application
		ConnectionFactory broker = new ConnectionFactory();
		broker.setHost("127.0.0.1");
		broker.setVirtualHost(TestLandscape.VHOST);
		try (com.rabbitmq.client.Connection connection = broker.newConnection();
				Channel channel = connection.createChannel()) {
			AMQP.BasicProperties json = new AMQP.BasicProperties.Builder().contentType("application/json").build();
			channel.basicPublish("springCloudBus", "#", json,
					("{\"type\":\"EnvironmentChangeRemoteApplicationEvent\","
							+ "\"originService\":\"probe\",\"destinationService\":\"**\",\"id\":\"probe-env\","
							+ "\"timestamp\":1,\"values\":{\"strangler.routes.inventory.canary-percent\":\"77\"}}")
						.getBytes());
			channel
				.basicPublish("springCloudBus", "#", json,
						("{\"type\":\"ShutdownRemoteApplicationEvent\",\"originService\":\"probe\","
								+ "\"destinationService\":\"**\",\"id\":\"probe-shutdown\",\"timestamp\":1}")
							.getBytes());
		}
		// and only the config server may publish there: another application's broker user
		// (./kit makes one per application) is refused, and may still publish its events
		Process connections = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "user", "vhost")
			.redirectErrorStream(true)
			.start();
		assertThat(new String(connections.getInputStream().readAllBytes()))
			.as("the applications' connections: each as its own user")
			.contains("monolith\t" + TestLandscape.VHOST)
			.contains("gateway\t" + TestLandscape.VHOST)
			.contains("config-server\t" + TestLandscape.VHOST);
		java.nio.file.Path password = TestLandscape.home.resolve(".kit/broker/monolith");
		assertThat(password).as("the monolith's broker user, which ./kit test makes").isRegularFile();
		ConnectionFactory asMonolith = new ConnectionFactory();
		asMonolith.setHost("127.0.0.1");
		asMonolith.setVirtualHost(TestLandscape.VHOST);
		asMonolith.setUsername("monolith");
		asMonolith.setPassword(java.nio.file.Files.readString(password).strip());
		try (com.rabbitmq.client.Connection connection = asMonolith.newConnection()) {
			Channel events = connection.createChannel();
			events.confirmSelect();
			events.basicPublish("shop.events", "probe.Nothing", null, "{}".getBytes());
			assertThat(events.waitForConfirms(5000)).isTrue();
			Channel bus = connection.createChannel();
			bus.confirmSelect();
			bus.basicPublish("springCloudBus", "#", null, "{}".getBytes());
			assertThatThrownBy(() -> bus.waitForConfirmsOrDie(5000)).isNotNull();
			assertThat(bus.getCloseReason()).isNotNull();
			assertThat(bus.getCloseReason().getMessage()).contains("ACCESS_REFUSED");
		}
		try {
			// sent after the probes, applied after them: as the file says, not as the
			// probe does
			landscape.route("inventory", "canary", 5);
			new Routes().awaitApplied(gateway, ADMIN, "inventory", Mode.CANARY, 5, Duration.ofSeconds(20));
			ports.forEach(
					(app, port) -> assertThat(Http.listening(URI.create("http://127.0.0.1:" + port))).as(app).isTrue());
		}
		finally {
			landscape.route("inventory", "monolith", null);
			new Routes().awaitApplied(gateway, ADMIN, "inventory", Mode.MONOLITH, null, Duration.ofSeconds(20));
		}
	}

	private static int post(URI uri, String json) {
		try {
			return http
				.send(HttpRequest.newBuilder(uri)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(json))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Eureka killed (SIGKILL) under a stream of reads: the gateway keeps routing with the
	 * registry it last fetched and no read of the running route fails; an application
	 * started meanwhile starts all the same; started again (empty at first), Eureka has
	 * the applications back, the new one too, and no read failed meanwhile.
	 */
	@Test
	void aRunningRouteFailsNoReadWhileEurekaIsDown() throws Exception {
		await().atMost(Duration.ofSeconds(60)).until(() -> registered("MONOLITH"));
		GatewayReads load = new GatewayReads(http, gateway, "/api/catalog/products", 2, false, Duration.ofMillis(20));
		load.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.total.get() > 20);
			assertThat(landscape.launcher.kill(Landscape.DISCOVERY)).isTrue();
			long killed = System.nanoTime();
			// for longer than a lease (6 s, counted twice) and many registry fetches (1
			// s)
			await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).until(() -> load.failures.isEmpty());
			assertThat(load.countSince(killed)).isGreaterThan(100);
			// an application started while Eureka is down starts (and registers later)
			landscape.launcher.kill("inventory-service");
			landscape.up(List.of(List.of(standIn())));
			assertThat(Http.listening(URI.create("http://127.0.0.1:8082"))).isTrue();
			// started again, with an empty registry at first: the gateway keeps routing
			landscape.up(List.of(List.of(landscape.app(Landscape.DISCOVERY))));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> registered("MONOLITH") && registered("GATEWAY") && registered("INVENTORY-SERVICE"));
			long back = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).until(() -> load.countSince(back) > 50);
		}
		finally {
			load.stop();
			if (!Http.listening(URI.create("http://127.0.0.1:8761"))) {
				landscape.up(List.of(List.of(landscape.app(Landscape.DISCOVERY))));
			}
		}
		System.out.printf("[landscape] Eureka down and started again: %d reads, failures %s%n", load.total.get(),
				load.failures);
		assertThat(load.failures).isEmpty();
	}

	/**
	 * The config server down (SIGKILL) while applications restart: the gateway starts
	 * from the configuration it last received, says so in its health, and serves its
	 * routes; an application that decides by ownership (the stand-in, a monolith) starts
	 * from its own last known configuration too, and holds its decisions by ownership
	 * (its health says so; InventoryCutoverLandscapeIT shows the orders held and then
	 * decided). Once the server is back, both take the server's configuration again.
	 */
	@Test
	void applicationsStartWhileTheConfigServerIsDown() throws Exception {
		assertThat(landscape.launcher.kill(Landscape.CONFIG_SERVER)).isTrue();
		assertThat(landscape.launcher.kill(Landscape.GATEWAY)).isTrue();
		// (the stand-in may have been stopped by another test)
		landscape.launcher.kill("inventory-service");
		GatewayReads load = new GatewayReads(http, gateway, "/api/catalog/products", 1, false, Duration.ofMillis(20));
		URI standInAt = URI.create("http://127.0.0.1:8082");
		try {
			landscape.up(List.of(List.of(landscape.app(Landscape.GATEWAY))));
			assertThat(configHealth(gateway)).containsEntry("source", "last-known");
			load.start();
			landscape.up(List.of(List.of(standIn())));
			assertThat(configHealth(standInAt)).containsEntry("source", "last-known")
				.containsEntry("decisions", "held");
			await().atMost(Duration.ofSeconds(10)).until(() -> load.total.get() > 50);
			assertThat(Http.listening(URI.create("http://127.0.0.1:8888"))).as("the config server").isFalse();
			landscape.up(List.of(List.of(landscape.app(Landscape.CONFIG_SERVER))));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> "config-server".equals(configHealth(gateway).get("source")));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(configHealth(standInAt)).containsEntry("source", "config-server")
					.containsEntry("decisions", "made"));
		}
		finally {
			load.stop();
			// whatever failed, the next test finds the landscape running
			for (String app : List.of(Landscape.CONFIG_SERVER, Landscape.GATEWAY)) {
				if (!Http.listening(URI.create("http://127.0.0.1:" + Landscape.PORTS.get(app)))) {
					landscape.up(List.of(List.of(landscape.app(app))));
				}
			}
		}
		System.out.printf("[landscape] config server down: gateway started from its last known configuration, "
				+ "%d reads through it, failures %s%n", load.total.get(), load.failures);
		assertThat(load.failures).isEmpty();
		assertThat(Http.listening(URI.create("http://127.0.0.1:8082"))).isTrue();
	}

	/**
	 * an application's {@code config} health: where its configuration came from, and
	 * whether its decisions by ownership are held
	 */
	private static Map<String, String> configHealth(URI application) {
		return Http.get(application.resolve("/actuator/health/config"), null)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> {
				Map<String, String> details = new java.util.TreeMap<>();
				Matcher detail = Pattern.compile("\"(source|file|receivedAt|decisions)\"\\s*:\\s*\"([^\"]*)\"")
					.matcher(response.body());
				while (detail.find()) {
					details.put(detail.group(1), detail.group(2));
				}
				return details;
			})
			.orElse(Map.of());
	}

	/**
	 * a monolith in the inventory-service's place: registered under the service's name,
	 * configured as the monolith (config-repo's monolith.yml, not inventory-service.yml):
	 * a second instance of the monolith, on its database and its queue
	 */
	private static App standIn() {
		App monolith = landscape.app(Landscape.MONOLITH);
		// (the config repository, as every application of the landscape gets it: Spring
		// Modulith reads the monolith's settings again without the profile "landscape")
		return new App("inventory-service", 8082, monolith.jar(),
				List.of("--spring.profiles.active=landscape", "--spring.application.name=inventory-service",
						"--spring.cloud.config.name=monolith", "--server.port=8082"),
				Map.of("KIT_CONFIG_REPO", monolith.env().get("KIT_CONFIG_REPO")));
	}

	/**
	 * Edits the route in the config-repo copy, as {@code ./kit route} does, and measures
	 * until every read that starts afterwards is served by the expected application.
	 */
	private static Duration switchAndMeasure(GatewayReads load, String mode, Integer percent, String expected) {
		long changed = System.nanoTime();
		landscape.route("inventory", mode, percent);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> load.firstServedBySince(expected, changed) != null);
		Duration took = Duration.ofNanos(load.firstServedBySince(expected, changed) - changed);
		// and it stays there: the next 50 reads are all served by it
		long settled = System.nanoTime();
		await().atMost(Duration.ofSeconds(10)).until(() -> load.countSince(settled) >= 50);
		assertThat(load.servedBySince(settled)).containsOnly(expected);
		return took;
	}

	private static String firstProduct() throws Exception {
		HttpResponse<String> products = http.send(
				HttpRequest.newBuilder(gateway.resolve("/api/catalog/products")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(products.statusCode()).isEqualTo(200);
		Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"?([\\w-]+)").matcher(products.body());
		assertThat(id.find()).as("a product in %s", products.body()).isTrue();
		return id.group(1);
	}

	private static boolean registered(String app) {
		return Http.get(URI.create("http://127.0.0.1:8761/eureka/apps/" + app), "eureka:eureka-secret")
			.map((response) -> response.statusCode() == 200
					&& response.body().replace(" ", "").contains("\"status\":\"UP\""))
			.orElse(false);
	}

}
