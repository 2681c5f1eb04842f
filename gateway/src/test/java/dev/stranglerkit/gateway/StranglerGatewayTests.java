package dev.stranglerkit.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The strangler gateway against real HTTP backends (a monolith and a service stand-in),
 * in every mode, and a switch of modes under concurrent load. The registry is Spring
 * Cloud's simple discovery client here; the landscape test runs the real Eureka.
 */
// (the configuration's source as arguments: a refresh rebuilds the environment from them,
// the gateway's warm-up refresh too, instead of asking for a config server that is not
// there)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		args = { "--kit.config-import=file:../config-repo/application.yml,file:../config-repo/gateway.yml",
				"--spring.cloud.config.enabled=false" },
		properties = { "spring.cloud.bus.enabled=false", "eureka.client.enabled=false", "strangler.max-body-size=1KB",
				// (the test's simple discovery stands in for Eureka: a refresh rebinding
				// it left
				// its instances without a service id for a moment, and a request under a
				// switch
				// answered 502 "serviceId is required")
				"spring.cloud.refresh.never-refreshable=com.zaxxer.hikari.HikariDataSource,"
						+ "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties",
				"strangler.routes.inventory.paths[0]=/api/inventory/**",
				"strangler.routes.inventory.monolith=lb://monolith",
				"strangler.routes.inventory.service=lb://inventory-service", "strangler.routes.inventory.mode=monolith",
				"strangler.routes.inventory.shadow-ignored-fields[0]=at",
				"strangler.routes.orders.paths[0]=/api/orders/**", "strangler.routes.orders.monolith=lb://monolith" })
class StranglerGatewayTests {

	static final Backend monolith;

	static final Backend service;

	static {
		try {
			monolith = Backend.start("monolith");
			service = Backend.start("inventory-service");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.monolith[0].uri", monolith::uri);
		registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", service::uri);
	}

	@AfterAll
	static void stopBackends() {
		monolith.close();
		service.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	MeterRegistry meters;

	// HTTP/1.1 as the gateway speaks it (the client's default h2c upgrade request can be
	// left without an answer); every request has a time limit, so a hang fails the test
	// instead of the build's clock
	final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	@BeforeEach
	void monolithModeAndFreshBackends() throws IOException {
		monolith.reset();
		service.reset();
		route(Map.of("mode", "monolith", "canary-percent", 0, "monolith-has-module", true, "owner", "monolith"));
	}

	@Test
	void monolithModeSendsEverythingToTheMonolith() throws Exception {
		HttpResponse<String> response = get("/api/inventory/p-1", Map.of());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Served-By")).hasValue("monolith");
		assertThat(response.body()).contains("\"productId\":\"p-1\"");
		assertThat(service.seen()).isEmpty();
	}

	@Test
	void serviceModeSendsEverythingToTheService() throws Exception {
		route(Map.of("mode", "service"));
		assertThat(get("/api/inventory/p-1", Map.of()).headers().firstValue("X-Served-By"))
			.hasValue("inventory-service");
		HttpResponse<String> written = send("PUT", "/api/inventory/p-1", "{\"available\":3}");
		assertThat(written.headers().firstValue("X-Served-By")).hasValue("inventory-service");
		assertThat(service.seen()).extracting(Backend.Seen::method).containsExactly("GET", "PUT");
		assertThat(service.seen().get(1).body()).isEqualTo("{\"available\":3}");
		assertThat(monolith.seen()).isEmpty();
	}

	@Test
	void canarySplitsTenThousandDistinctKeysWithinTwoPointsAndStaysSticky() throws Exception {
		route(Map.of("mode", "canary", "canary-percent", 30));
		int total = 10_000;
		AtomicInteger toService = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		List<CompletableFuture<?>> batch = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			HttpRequest request = HttpRequest.newBuilder(uri("/api/inventory/p-" + i))
				.header("X-Canary-Key", "user-" + i)
				.build();
			batch.add(this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept((response) -> {
				if (response.statusCode() != 200) {
					failed.incrementAndGet();
				}
				else if ("inventory-service".equals(response.headers().firstValue("X-Served-By").orElse(""))) {
					toService.incrementAndGet();
				}
			}));
			if (batch.size() == 32) {
				CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
				batch.clear();
			}
		}
		CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
		assertThat(failed).hasValue(0);
		double percent = 100.0 * toService.get() / total;
		assertThat(percent).isBetween(28.0, 32.0);

		// sticky: one key, one side, whether it comes as header or cookie
		for (String key : List.of("user-7", "user-8", "user-9")) {
			String byHeader = get("/api/inventory/p-1", Map.of("X-Canary-Key", key)).headers()
				.firstValue("X-Served-By")
				.orElseThrow();
			for (int i = 0; i < 5; i++) {
				assertThat(get("/api/inventory/p-1", Map.of("Cookie", "canary-key=" + key)).headers()
					.firstValue("X-Served-By")).hasValue(byHeader);
			}
		}
		// writes go to the owner (the monolith) whatever the key
		int before = service.seen().size();
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> written = this.http.send(HttpRequest.newBuilder(uri("/api/inventory/p-1"))
				.header("X-Canary-Key", "user-" + i)
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"available\":1}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(written.headers().firstValue("X-Served-By")).hasValue("monolith");
		}
		assertThat(service.seen()).hasSize(before);
	}

	@Test
	void shadowNeverMakesTheClientWaitForASlowService() throws Exception {
		route(Map.of("mode", "shadow"));
		service.delay(Duration.ofSeconds(2));
		long slowest = 0;
		for (int i = 0; i < 10; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = get("/api/inventory/p-" + i, Map.of());
			slowest = Math.max(slowest, System.nanoTime() - start);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Served-By")).hasValue("monolith");
		}
		// a client that waited for the service would need 2 s for each request
		assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(1000));
		await().atMost(Duration.ofSeconds(10)).until(() -> service.seen().size() == 10);
		await().atMost(Duration.ofSeconds(5)).until(() -> comparisons("match") >= 10);
	}

	@Test
	void shadowCountsAndKeepsMismatchesIgnoringTheListedFields() throws Exception {
		route(Map.of("mode", "shadow"));
		// differs only in an ignored field: a match
		monolith.answering((path) -> "{\"productId\":\"p-1\",\"available\":25,\"at\":\"monolith-time\"}");
		service.answering((path) -> "{\"productId\":\"p-1\",\"available\":25,\"at\":\"service-time\"}");
		double matches = comparisons("match");
		get("/api/inventory/p-1", Map.of());
		await().atMost(Duration.ofSeconds(5)).until(() -> comparisons("match") == matches + 1);

		// differs in a compared field: a mismatch, counted and kept
		service.answering((path) -> "{\"productId\":\"p-1\",\"available\":24,\"at\":\"service-time\"}");
		double mismatches = comparisons("mismatch");
		HttpResponse<String> response = get("/api/inventory/p-2", Map.of());
		assertThat(response.body()).contains("\"available\":25");
		await().atMost(Duration.ofSeconds(5)).until(() -> comparisons("mismatch") == mismatches + 1);

		HttpResponse<String> anonymous = get("/actuator/strangler", Map.of());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		HttpResponse<String> recent = get("/actuator/strangler", Map.of("Authorization", admin()));
		assertThat(recent.statusCode()).isEqualTo(200);
		assertThat(recent.body()).contains("/api/inventory/p-2").contains("the JSON bodies differ");

		// writes are never mirrored
		int seen = service.seen().size();
		send("PUT", "/api/inventory/p-1", "{\"available\":3}");
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> service.seen().size() == seen);
	}

	@Test
	void serviceModeFallsBackToTheMonolithWhileItHasTheModule() throws Exception {
		route(Map.of("mode", "service"));
		service.stop();
		HttpResponse<String> read = get("/api/inventory/p-1", Map.of());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.headers().firstValue("X-Served-By")).hasValue("monolith");
		// nothing reached the stopped service, so a write may go to the monolith too
		HttpResponse<String> write = send("PUT", "/api/inventory/p-1", "{\"available\":3}");
		assertThat(write.statusCode()).isEqualTo(200);
		assertThat(write.headers().firstValue("X-Served-By")).hasValue("monolith");
		assertThat(monolith.seen()).extracting(Backend.Seen::method).containsExactly("GET", "PUT");
		assertThat(monolith.seen().get(1).body()).isEqualTo("{\"available\":3}");

		// a service that answers 5xx: a read falls back; a write is the service's answer,
		// never sent twice
		service.restart();
		service.status(500);
		assertThat(get("/api/inventory/p-1", Map.of()).headers().firstValue("X-Served-By")).hasValue("monolith");
		int monolithSeen = monolith.seen().size();
		int serviceSeen = service.seen().size();
		HttpResponse<String> failedWrite = send("PUT", "/api/inventory/p-1", "{\"available\":4}");
		assertThat(failedWrite.statusCode()).isEqualTo(500);
		assertThat(failedWrite.headers().firstValue("X-Served-By")).hasValue("inventory-service");
		assertThat(monolith.seen()).hasSize(monolithSeen);
		assertThat(service.seen()).hasSize(serviceSeen + 1);

		// once the monolith no longer has the module, there is nothing to fall back to
		route(Map.of("monolith-has-module", false));
		service.stop();
		HttpResponse<String> noService = get("/api/inventory/p-1", Map.of());
		assertThat(noService.statusCode()).isBetween(502, 504);
		assertThat(noService.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(noService.body()).contains("\"detail\"").doesNotContain("Exception").doesNotContain("at org.");
	}

	@Test
	void onlySafeMethodsAreRetried() throws Exception {
		route(Map.of("mode", "service", "monolith-has-module", false));
		service.failNext(1);
		HttpResponse<String> read = get("/api/inventory/p-1", Map.of());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(service.seen()).hasSize(2);
		service.failNext(1);
		HttpResponse<String> write = send("PUT", "/api/inventory/p-1", "{\"available\":3}");
		assertThat(write.statusCode()).isEqualTo(503);
		assertThat(service.seen()).hasSize(3);
	}

	@Test
	void bodiesOverTheLimitAre413AndNotForwarded() throws Exception {
		String large = "{\"available\":1,\"pad\":\"" + "x".repeat(2000) + "\"}";
		HttpResponse<String> declared = send("PUT", "/api/inventory/p-1", large);
		assertThat(declared.statusCode()).isEqualTo(413);
		assertThat(declared.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		// without a declared length (chunked), refused while reading
		HttpResponse<String> chunked = this.http.send(HttpRequest.newBuilder(uri("/api/inventory/p-1"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(large)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(chunked.statusCode()).isEqualTo(413);
		assertThat(monolith.seen()).isEmpty();
	}

	@Test
	void aSwitchUnderConcurrentLoadFailsNoRequest() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		AtomicInteger done = new AtomicInteger();
		Map<String, AtomicInteger> servedBy = new java.util.concurrent.ConcurrentHashMap<>();
		List<Thread> clients = new ArrayList<>();
		for (int c = 0; c < 8; c++) {
			int client = c;
			clients.add(Thread.ofVirtual().start(() -> {
				int i = 0;
				while (running.get()) {
					try {
						HttpRequest request = (i++ % 4 == 0)
								? HttpRequest.newBuilder(uri("/api/inventory/p-" + client))
									.header("Content-Type", "application/json")
									.PUT(HttpRequest.BodyPublishers.ofString("{\"available\":" + i + "}"))
									.build()
								: HttpRequest.newBuilder(uri("/api/inventory/p-" + client))
									.header("X-Canary-Key", "client-" + client + "-" + i)
									.build();
						HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() != 200) {
							failures.add(request.method() + " " + response.statusCode() + " " + response.body());
						}
						servedBy
							.computeIfAbsent(response.headers().firstValue("X-Served-By").orElse("?"),
									(k) -> new AtomicInteger())
							.incrementAndGet();
						done.incrementAndGet();
					}
					catch (Exception ex) {
						failures.add(ex.toString());
					}
				}
			}));
		}
		List<Map<String, Object>> steps = List.of(Map.of("mode", "shadow"),
				Map.of("mode", "canary", "canary-percent", 50), Map.of("mode", "service"), Map.of("mode", "monolith"),
				Map.of("mode", "service"), Map.of("mode", "canary", "canary-percent", 10), Map.of("mode", "monolith"));
		for (int round = 0; round < 3; round++) {
			for (Map<String, Object> step : steps) {
				route(step);
				Thread.sleep(150);
			}
		}
		running.set(false);
		for (Thread client : clients) {
			client.join();
		}
		assertThat(failures).isEmpty();
		assertThat(done.get()).isGreaterThan(200);
		assertThat(servedBy).containsKeys("monolith", "inventory-service");
	}

	@Test
	void anInvalidChangeIsRefusedAndTheRoutesKeepTheirState() throws Exception {
		route(Map.of("mode", "service"));
		route(Map.of("mode", "canary", "canary-percent", 150));
		assertThat(get("/api/inventory/p-1", Map.of()).headers().firstValue("X-Served-By"))
			.hasValue("inventory-service");
		assertThat(this.meters.counter("strangler.config.refused").count()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void theStranglerEndpointListsTheInstancesTheLoadBalancerPicksAmong() throws Exception {
		assertThat(get("/actuator/strangler/inventory-service", Map.of()).statusCode()).isEqualTo(401);
		HttpResponse<String> service = get("/actuator/strangler/inventory-service", Map.of("Authorization", admin()));
		assertThat(service.statusCode()).isEqualTo(200);
		assertThat(service.body()).isEqualTo("[\"" + StranglerGatewayTests.service.uri().substring(7) + "\"]");
		HttpResponse<String> unknown = get("/actuator/strangler/no-such-service", Map.of("Authorization", admin()));
		assertThat(unknown.statusCode()).isEqualTo(200);
		assertThat(unknown.body()).isEqualTo("[]");
	}

	@Test
	void adminSurfacesAreClosedAndTraversalProbesGet4xx() throws Exception {
		assertThat(get("/actuator/health", Map.of()).statusCode()).isEqualTo(200);
		for (String endpoint : List.of("/actuator/env", "/actuator/prometheus", "/actuator/gateway/routes",
				"/actuator/configprops", "/actuator/strangler")) {
			assertThat(get(endpoint, Map.of()).statusCode()).as(endpoint).isEqualTo(401);
		}
		// CVE-2022-22947: even with the credentials, the gateway endpoint cannot be
		// written
		for (String write : List.of("/actuator/gateway/routes/evil", "/actuator/gateway/refresh")) {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(write))
				.header("Authorization", admin())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"uri\":\"http://127.0.0.1:1\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(write).isBetween(400, 499);
		}
		assertThat(get("/actuator/gateway/routes", Map.of("Authorization", admin())).statusCode()).isEqualTo(200);
		for (String probe : List.of("/api/inventory/..%2F..%2Factuator%2Fenv",
				"/api/inventory/..%252F..%252Fetc%252Fpasswd", "/api/inventory/%2e%2e/%2e%2e/actuator/env",
				"/api/../actuator/env", "/api/inventory/..;/..;/etc/passwd")) {
			HttpResponse<String> response = get(probe, Map.of());
			assertThat(response.statusCode()).as(probe).isBetween(400, 499);
			assertThat(response.body()).as(probe).doesNotContain("root:x:0").doesNotContain("propertySources");
		}
		assertThat(monolith.seen()).isEmpty();
	}

	private double comparisons(String result) {
		var counter = this.meters.find("strangler.shadow.comparisons").tag("result", result).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** Changes the inventory route as a config refresh does. */
	private void route(Map<String, Object> changes) {
		Map<String, Object> properties = new HashMap<>();
		changes.forEach((key, value) -> properties.put("strangler.routes.inventory." + key, value));
		var sources = this.context.getEnvironment().getPropertySources();
		MapPropertySource switched = (MapPropertySource) sources.get("switched");
		if (switched == null) {
			switched = new MapPropertySource("switched", new java.util.concurrent.ConcurrentHashMap<>());
			sources.addFirst(switched);
		}
		switched.getSource().putAll(properties);
		this.context.publishEvent(new EnvironmentChangeEvent(this.context, properties.keySet()));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
		headers.forEach(request::header);
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.net.http.HttpTimeoutException ex) {
			// a hang is a fault to diagnose: what the gateway's event loops are doing
			Thread.getAllStackTraces().forEach((thread, stack) -> {
				if (thread.getName().contains("epoll")) {
					System.err.println(thread + "\n\tat " + String.join("\n\tat ",
							java.util.Arrays.stream(stack).limit(25).map(Object::toString).toList()));
				}
			});
			throw ex;
		}
	}

	private HttpResponse<String> send(String method, String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String admin() {
		return "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-secret".getBytes());
	}

}
