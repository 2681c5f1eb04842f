package dev.stranglerkit.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;

/**
 * A real HTTP backend standing in for the monolith or a service: answers every path with
 * a JSON body (by default the same on every backend, so shadow comparisons match), and
 * can be told to answer differently, slowly, with an error, or not at all.
 */
final class Backend implements AutoCloseable {

	record Seen(String method, String path, String body) {
	}

	private final String name;

	private int port;

	private HttpServer server;

	private final List<Seen> seen = new CopyOnWriteArrayList<>();

	private volatile Function<String, String> body = Backend::standardBody;

	private volatile int status = 200;

	private volatile Duration delay = Duration.ZERO;

	private volatile int failNext;

	private volatile boolean running;

	private Backend(String name, int port) throws IOException {
		this.name = name;
		this.port = port;
		start();
	}

	static Backend start(String name) throws IOException {
		return new Backend(name, 0);
	}

	private void start() throws IOException {
		// a backend started again on its port: the port may not be free yet
		this.server = Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.ignoreException(java.net.BindException.class)
			.until(() -> HttpServer.create(new InetSocketAddress("127.0.0.1", this.port), 100), Objects::nonNull);
		this.port = this.server.getAddress().getPort();
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
		this.running = true;
	}

	static String standardBody(String path) {
		String id = path.substring(path.lastIndexOf('/') + 1);
		return "{\"productId\":\"%s\",\"available\":25,\"reserved\":0}".formatted(id);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange; InputStream in = exchange.getRequestBody()) {
			String requestBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			this.seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), requestBody));
			if (!this.delay.isZero()) {
				Thread.sleep(this.delay);
			}
			int answer = this.status;
			synchronized (this) {
				if (this.failNext > 0) {
					this.failNext--;
					answer = 503;
				}
			}
			byte[] bytes = (answer >= 500) ? "{\"error\":\"down\"}".getBytes(StandardCharsets.UTF_8)
					: this.body.apply(exchange.getRequestURI().getRawPath()).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			if ("HEAD".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(answer, -1);
				return;
			}
			exchange.sendResponseHeaders(answer, bytes.length);
			exchange.getResponseBody().write(bytes);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	String name() {
		return this.name;
	}

	String uri() {
		return "http://127.0.0.1:" + this.port;
	}

	List<Seen> seen() {
		return List.copyOf(this.seen);
	}

	Backend answering(Function<String, String> body) {
		this.body = body;
		return this;
	}

	Backend status(int status) {
		this.status = status;
		return this;
	}

	Backend delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	synchronized Backend failNext(int times) {
		this.failNext = times;
		return this;
	}

	/** Stops listening: connections are refused until {@link #restart()}. */
	void stop() {
		this.server.stop(0);
		this.running = false;
	}

	void restart() throws IOException {
		start();
	}

	void reset() throws IOException {
		if (!this.running) {
			restart();
		}
		this.seen.clear();
		this.body = Backend::standardBody;
		this.status = 200;
		this.delay = Duration.ZERO;
		this.failNext = 0;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
