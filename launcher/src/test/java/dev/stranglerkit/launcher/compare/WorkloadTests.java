package dev.stranglerkit.launcher.compare;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stranglerkit.report.WorkloadResult;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The open-model workload against a stub server with known delays: latencies from the
 * intended send times (a stall shows in full), statuses, errors and the traffic split.
 */
class WorkloadTests {

	private static final Duration DELAY = Duration.ofMillis(20);

	private static final Duration STALL = Duration.ofSeconds(1);

	/** how far into a run the stall starts */
	private static final Duration STALL_AFTER = Duration.ofSeconds(1);

	private static ExecutorService executor;

	private static HttpServer server;

	private static URI base;

	/** when the stalling run started (System.nanoTime()), 0 for none */
	private static final AtomicLong stallingRun = new AtomicLong();

	/** the headers the /echo path received */
	private static final List<String> echoed = new CopyOnWriteArrayList<>();

	/** the Idempotency-Keys the /flaky path received, one per attempt */
	private static final List<String> flakyKeys = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() throws IOException {
		executor = Executors.newVirtualThreadPerTaskExecutor();
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
		server.setExecutor(executor);
		server.createContext("/delay", (exchange) -> {
			sleep(DELAY.toNanos());
			respond(exchange, 200, null);
		});
		server.createContext("/stall", (exchange) -> {
			// every request arriving in the stall waits until it ends
			long start = stallingRun.get() + STALL_AFTER.toNanos();
			long end = start + STALL.toNanos();
			long now = System.nanoTime();
			sleep((now >= start && now < end) ? end - now : DELAY.toNanos());
			respond(exchange, 200, null);
		});
		server.createContext("/ok", (exchange) -> {
			String query = exchange.getRequestURI().getQuery();
			respond(exchange, 200, (query != null) ? query.substring("by=".length()) : null);
		});
		server.createContext("/fail", (exchange) -> respond(exchange, 503, null));
		server.createContext("/echo", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			echoed.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
					+ exchange.getRequestHeaders().getFirst("X-Kit-Workload") + " " + body);
			exchange.getResponseHeaders().add("Location", "/api/orders/" + echoed.size());
			respond(exchange, 201, "monolith");
		});
		server.createContext("/flaky", (exchange) -> {
			// each key's first attempt gets no answer in time, or a 503; its retry a 202
			String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
			boolean first = !flakyKeys.contains(key);
			flakyKeys.add(key);
			if (first && exchange.getRequestURI().getQuery().equals("first=hang")) {
				sleep(Duration.ofSeconds(1).toNanos());
			}
			exchange.getResponseHeaders().add("Location", "/api/orders/" + key);
			respond(exchange, first ? 503 : 202, "monolith");
		});
		server.createContext("/hang", (exchange) -> {
			sleep(Duration.ofSeconds(5).toNanos());
			respond(exchange, 200, null);
		});
		server.start();
		base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
		// class loading, JIT and the first connections, outside any measured run
		new Workload(base, 100, Duration.ofMillis(500), (sequence) -> Request.get("/delay")).run();
	}

	@AfterAll
	static void stop() {
		server.stop(0);
		executor.shutdownNow();
	}

	@Test
	void measuresTheServersDelay() {
		WorkloadResult result = new Workload(base, 100, Duration.ofSeconds(3), (sequence) -> Request.get("/delay"))
			.run();

		assertThat(result.sent()).isEqualTo(300);
		assertThat(result.completed()).isEqualTo(300);
		assertThat(result.endpoints()).containsExactly("GET /delay");
		assertThat(result.statuses("GET /delay")).containsExactly(Map.entry(200, 300L));
		WorkloadResult.Percentiles latency = result.percentiles("GET /delay");
		Histogram micros = result.histogram("GET /delay");
		// 20 ms in the stub, ~1 ms on the loopback. On a busy machine (the build next
		// door) the sender and the stub lose the CPU now and then: the slowest few
		// percent take up to ~200 ms, and count, as they would for a user
		assertThat(latency.p50Ms()).as(latency::toString).isBetween(20.0, 35.0);
		assertThat(latency.p90Ms()).as(latency::toString).isBetween(20.0, 80.0);
		assertThat(latency.p99Ms()).as(latency::toString).isBetween(20.0, 300.0);
		// not one under the stub's delay
		assertThat(micros.getMinValue()).isGreaterThanOrEqualTo(20_000);
		assertThat(latency.maxMs()).isGreaterThanOrEqualTo(latency.p999Ms()).isGreaterThanOrEqualTo(latency.p99Ms());
		assertThat(result.sendRatePerSecond()).isCloseTo(100, within(3.0));
		assertThat(result.throughputPerSecond()).isCloseTo(100, within(5.0));
		assertThat(result.maxSendLagMs()).isLessThan(500);
		assertThat(result.errors()).isZero();
		// the timeline: 3 seconds of ~100 completions (the last ones complete in the 4th)
		assertThat(result.timeline()).hasSizeBetween(3, 4);
		assertThat(result.timeline().stream().mapToLong(WorkloadResult.Second::completed).sum()).isEqualTo(300);
		assertThat(result.timeline().get(1).completed()).isBetween(75L, 125L);
		assertThat(result.timeline()).allMatch((second) -> second.meanLatencyMs() >= 20);
	}

	@Test
	void saysHowFarItIsWhileItSends() {
		List<String> lines = new CopyOnWriteArrayList<>();
		WorkloadResult result = new Workload(base, 20, Duration.ofSeconds(3), (sequence) -> Request.get("/ok"))
			.progress(Duration.ofSeconds(1), lines::add)
			.run();

		assertThat(result.completed()).isEqualTo(60);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).startsWith("1 s of 3 s (2 s left): 20 requests sent, ");
		assertThat(lines.get(1)).startsWith("2 s of 3 s (1 s left): 40 requests sent, ");
	}

	@Test
	void aStalledServerCannotHideTheRequestsThatArrivedDuringTheStall() {
		WorkloadResult result = new Workload(base, 100, Duration.ofSeconds(3), (sequence) -> {
			if (sequence == 0) {
				// asked just after the run's start: the stall is from 1.0 to 2.0 s
				stallingRun.set(System.nanoTime());
			}
			return Request.get("/stall");
		}).run();
		stallingRun.set(0);

		// 300 requests: 200 take 20 ms; the 100 intended in the stalled second all
		// complete when it ends, so the one intended at 1.0 + k/100 s waits
		// (1000 - 10 k) ms: latencies spread evenly from 1000 ms down to 0. On a busy
		// machine the hundred responses at once take a while: up to ~100 ms more
		assertThat(result.completed()).isEqualTo(300);
		Histogram micros = result.histogram("GET /stall");
		WorkloadResult.Percentiles latency = result.percentiles("GET /stall");
		assertThat(latency.maxMs()).as(latency::toString).isBetween(990.0, 1300.0);
		// p99 is the 3rd slowest of 300, k = 2: ~980 ms
		assertThat(latency.p99Ms()).as(latency::toString).isBetween(930.0, 1300.0);
		// p90 is the 30th slowest, k = 29: ~710 ms (a stall hidden from the
		// measurement would leave it at the 20 ms delay)
		assertThat(latency.p90Ms()).as(latency::toString).isBetween(650.0, 900.0);
		// half the requests are neither in the stall nor delayed by it
		assertThat(latency.p50Ms()).as(latency::toString).isBetween(20.0, 45.0);
		// those intended in the stall's first half (k < 50) waited over 500 ms: ~50.
		// A closed model (one request in flight, sent when the previous one returns,
		// timed from its actual send) sends one request during the stall: it counts 1
		assertThat(over(micros, 500)).as(latency::toString).isBetween(44L, 66L);
		// evenly spread: ~75 over 250 ms (k < 75), ~25 over 750 ms (k < 25)
		assertThat(over(micros, 250)).as(latency::toString).isBetween(68L, 92L);
		assertThat(over(micros, 750)).as(latency::toString).isBetween(19L, 42L);
		assertThat(result.errors()).isZero();
		// the stall's completions bunch up in the second it ends
		assertThat(result.timeline().get(1).completed()).isLessThan(20);
		assertThat(result.timeline().get(2).completed()).isGreaterThan(180);
	}

	@Test
	void aLateSenderIsChargedToTheLatencyAndReported() {
		// the request source holds the sender up 300 ms before request 50 (due at 0.5 s)
		WorkloadResult result = new Workload(base, 100, Duration.ofMillis(1500), (sequence) -> {
			if (sequence == 50) {
				sleep(Duration.ofMillis(300).toNanos());
			}
			return Request.get("/delay");
		}).run();

		assertThat(result.sent()).isEqualTo(150);
		// request 50 went out at least 290 ms late (its source was asked right after
		// request 49, due at 0.49 s), the next ones at once, catching up 10 ms a request
		assertThat(result.maxSendLagMs()).isBetween(290.0, 600.0);
		// the latest request took its lag plus the stub's 20 ms: timed from the actual
		// send, it would have taken ~20 ms
		WorkloadResult.Percentiles latency = result.percentiles("GET /delay");
		assertThat(latency.maxMs()).as(latency::toString).isBetween(result.maxSendLagMs() + 20, 800.0);
		// above 150 ms: a lag above 130 ms, requests 50 to ~66 (more on a busy machine,
		// never fewer). Timed from the actual send, none
		assertThat(over(result.histogram("GET /delay"), 150)).as(latency::toString).isBetween(16L, 40L);
	}

	@Test
	void countsStatusesErrorsAndTheTrafficSplit() {
		echoed.clear();
		List<String> locations = new CopyOnWriteArrayList<>();
		RequestSource mix = (sequence) -> switch ((int) (sequence % 5)) {
			case 0 -> new Request("GET /ok", "GET", "/ok?by=monolith", null);
			case 1 -> new Request("GET /ok", "GET", "/ok?by=service", null);
			case 2 -> new Request("GET /ok", "GET", "/ok", null);
			case 3 -> Request.get("/fail");
			default -> new Request("POST /echo", "POST", "/echo", "{\"n\":" + sequence + "}");
		};
		WorkloadResult result = new Workload(base, 100, Duration.ofSeconds(1), mix)
			.listener((request, status, headers, body) -> headers.firstValue("Location").ifPresent(locations::add))
			.run();

		assertThat(result.sent()).isEqualTo(100);
		assertThat(result.endpoints()).containsExactly("GET /fail", "GET /ok", "POST /echo");
		assertThat(result.statuses("GET /ok")).containsExactly(Map.entry(200, 60L));
		assertThat(result.statuses("GET /fail")).containsExactly(Map.entry(503, 20L));
		assertThat(result.statuses("POST /echo")).containsExactly(Map.entry(201, 20L));
		assertThat(result.statuses()).containsExactly(Map.entry(200, 60L), Map.entry(201, 20L), Map.entry(503, 20L));
		assertThat(result.servedBy("GET /ok")).containsExactly(Map.entry("-", 20L), Map.entry("monolith", 20L),
				Map.entry("service", 20L));
		assertThat(result.servedBy("GET /fail")).containsExactly(Map.entry("-", 20L));
		assertThat(result.errors()).isEqualTo(20);
		assertThat(result.errors("GET /ok")).isZero();
		assertThat(result.timeline().stream().mapToLong(WorkloadResult.Second::errors).sum()).isEqualTo(20);
		assertThat(locations).hasSize(20).allMatch((location) -> location.startsWith("/api/orders/"));
		assertThat(echoed).hasSize(20).allMatch((line) -> line.matches("POST application/json compare \\{\"n\":\\d+}"));
	}

	@Test
	void aClosedPortCountsAsErrorsWithTheirLatency() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		WorkloadResult result = new Workload(URI.create("http://127.0.0.1:" + port), 20, Duration.ofMillis(500),
				(sequence) -> Request.get("/anything"))
			.run();

		assertThat(result.sent()).isEqualTo(10);
		assertThat(result.statuses("GET /anything")).containsExactly(Map.entry(WorkloadResult.NO_RESPONSE, 10L));
		assertThat(WorkloadResult.statusLabel(WorkloadResult.NO_RESPONSE)).isEqualTo("error");
		assertThat(result.errors()).isEqualTo(10);
		assertThat(result.histogram("GET /anything").getTotalCount()).isEqualTo(10);
		assertThat(result.servedBy("GET /anything")).isEmpty();
		assertThat(result.timeline().stream().mapToLong(WorkloadResult.Second::errors).sum()).isEqualTo(10);
	}

	@Test
	void aTimeoutCountsAsAnErrorAfterTheTimeout() {
		WorkloadResult result = new Workload(base, 10, Duration.ofMillis(500), (sequence) -> Request.get("/hang"))
			.timeout(Duration.ofMillis(300))
			.run();

		assertThat(result.statuses("GET /hang")).containsExactly(Map.entry(WorkloadResult.NO_RESPONSE, 5L));
		WorkloadResult.Percentiles latency = result.percentiles("GET /hang");
		assertThat(latency.p50Ms()).isBetween(300.0, 600.0);
		assertThat(latency.maxMs()).isBetween(300.0, 1000.0);
	}

	@Test
	void aWriteThatGotNoAnswerIsSentAgainWithTheSameKey() {
		flakyKeys.clear();
		List<String> locations = new CopyOnWriteArrayList<>();
		RequestSource writes = (sequence) -> new Request("POST /flaky", "POST",
				(sequence % 2 == 0) ? "/flaky?first=hang" : "/flaky?first=503", "{}")
			.withIdempotencyKey("key-" + sequence);

		WorkloadResult result = new Workload(base, 20, Duration.ofMillis(500), writes).timeout(Duration.ofMillis(300))
			.listener((request, status, headers, body) -> headers.firstValue("Location").ifPresent(locations::add))
			.run();

		// what the client knows: every write answered 202, once, after one retry
		assertThat(result.sent()).isEqualTo(10);
		assertThat(result.statuses("POST /flaky")).containsExactly(Map.entry(202, 10L));
		assertThat(result.errors()).isZero();
		assertThat(locations).hasSize(10).doesNotHaveDuplicates();
		// each sent twice, the retry with the first attempt's key
		assertThat(flakyKeys).hasSize(20);
		assertThat(flakyKeys.stream().distinct()).hasSize(10)
			.allMatch((key) -> flakyKeys.stream().filter(key::equals).count() == 2);
		// the unanswered ones took the timeout, the back-off and the retry
		assertThat(result.percentiles("POST /flaky").maxMs()).isBetween(400.0, 1500.0);
	}

	/**
	 * @return how many latencies are above the milliseconds
	 */
	private static long over(Histogram micros, long ms) {
		return micros.getTotalCount() - micros.getCountBetweenValues(0, ms * 1000);
	}

	private static void respond(HttpExchange exchange, int status, String servedBy) throws IOException {
		byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
		if (servedBy != null) {
			exchange.getResponseHeaders().add("X-Served-By", servedBy);
		}
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static void sleep(long nanos) {
		try {
			Thread.sleep(Duration.ofNanos(nanos));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
