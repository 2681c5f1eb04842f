package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order is one trace, across HTTP and RabbitMQ: the whole landscape, each application
 * its own process, sends its spans to a Zipkin collector that this test plays (as
 * {@code ./kit up zipkin}'s server would take them). The test places an order through the
 * gateway under a trace id of its own choosing and finds that id in the spans of every
 * process the saga reaches, and in the monolith's log line of the notification it sent.
 */
class TracingLandscapeIT {

	static final JsonMapper json = JsonMapper.builder().build();

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	static final URI gateway = URI.create("http://127.0.0.1:8080");

	static final String PRODUCT = "00000000-0000-0000-0000-000000000002";

	/** [traceId, service, span name] of every span received */
	static final ConcurrentLinkedQueue<String[]> spans = new ConcurrentLinkedQueue<>();

	static HttpServer collector;

	static TestLandscape landscape;

	@BeforeAll
	static void startTheLandscapeSendingItsSpansHere() throws Exception {
		collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		collector.createContext("/api/v2/spans", (exchange) -> {
			int status = 202;
			try {
				// Zipkin's senders compress their JSON
				InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
						? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
				for (JsonNode span : json.readTree(body.readAllBytes())) {
					spans.add(new String[] { span.path("traceId").asString(""),
							span.path("localEndpoint").path("serviceName").asString(""),
							span.path("name").asString("") });
				}
			}
			catch (IOException | RuntimeException ex) {
				System.out.println("[collector] could not read spans: " + ex);
				status = 400;
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		collector.start();
		landscape = new TestLandscape(Map.of("KIT_TRACING_ZIPKIN_ENDPOINT",
				"http://127.0.0.1:" + collector.getAddress().getPort() + "/api/v2/spans"));
		landscape.upEverything();
	}

	@AfterAll
	static void stop() {
		if (landscape != null) {
			landscape.down();
		}
		if (collector != null) {
			collector.stop(0);
		}
	}

	@Test
	void anOrderIsOneTraceThroughEveryProcessItReaches() throws Exception {
		String traceId = HexFormat.of().formatHex(randomBytes(16));
		HttpResponse<String> placed = http.send(HttpRequest.newBuilder(gateway.resolve("/api/orders"))
			.header("Content-Type", "application/json")
			.header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"customerId": "c-trace", "card": "4242424242424242",
					 "lines": [{"productId": "%s", "quantity": 1}]}""".formatted(PRODUCT)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
		String order = placed.headers().firstValue("Location").orElseThrow();

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> json
				.readTree(http
					.send(HttpRequest.newBuilder(gateway.resolve(order)).build(), HttpResponse.BodyHandlers.ofString())
					.body())
				.path("status")
				.asString(""), (s) -> s.equals("CONFIRMED"));

		// the gateway took the request; the monolith placed, paid and confirmed the order
		// and
		// published its events; the inventory-service followed them from RabbitMQ; the
		// notification-service recorded the confirmation from RabbitMQ
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(servicesIn(traceId)).contains("gateway", "monolith", "inventory-service",
					"notification-service"));
		assertThat(spans.stream().filter((span) -> span[0].equals(traceId)).map((span) -> span[2]))
			.as("spans of the order's trace")
			.anySatisfy((name) -> assertThat(name).containsIgnoringCase("post"))
			.anySatisfy((name) -> assertThat(name).containsIgnoringCase("receive"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(Files.readAllLines(landscape.log(Landscape.MONOLITH)))
				.as("the monolith's log line of the notification it sent carries the trace id")
				.anySatisfy((line) -> assertThat(line).contains("Notified c-trace").contains(traceId)));
	}

	static Set<String> servicesIn(String traceId) {
		Set<String> services = new TreeSet<>();
		spans.stream().filter((span) -> span[0].equals(traceId)).forEach((span) -> services.add(span[1]));
		return services;
	}

	static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

}
