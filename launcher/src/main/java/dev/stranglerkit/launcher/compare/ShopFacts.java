package dev.stranglerkit.launcher.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.stranglerkit.control.Tls;
import dev.stranglerkit.launcher.Poll;
import dev.stranglerkit.launcher.compare.Invariants.OrderFacts;
import dev.stranglerkit.launcher.compare.Invariants.StockFacts;
import dev.stranglerkit.launcher.compare.ShopWorkload.PlacedOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the shop, through the gateway's public API as any client would, what became of a
 * run: it sets the stock a run starts with, then waits (up to a deadline) for every saga
 * to end and its notification to be sent, and gathers the facts {@link Invariants}
 * checks.
 */
public final class ShopFacts {

	/** how long a read is asked again while the landscape cannot answer it */
	static final Duration READ_PATIENCE = Duration.ofSeconds(60);

	/** how often a read that waits for the landscape to settle is made again */
	private static final Duration EVERY = Duration.ofMillis(100);

	private final URI gateway;

	private final HttpClient client = Tls.httpClient()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	public ShopFacts(URI gateway) {
		this.gateway = gateway;
	}

	/**
	 * Sets each product's available stock (a write: the gateway sends it to the
	 * inventory's owner) and waits until reads say so.
	 */
	public void setStock(Map<String, Integer> stock, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		stock.forEach((product, available) -> {
			HttpResponse<String> put = send(HttpRequest.newBuilder(this.gateway.resolve("/api/inventory/" + product))
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString("{\"available\": " + available + "}")));
			if (put.statusCode() != 200) {
				throw new IllegalStateException(
						"setting the stock of " + product + " answered " + put.statusCode() + ": " + put.body());
			}
			int read = Poll.until(left(deadline), EVERY, () -> stock(product).path("available").asInt(-1),
					(now) -> now == available);
			if (read != available) {
				throw new IllegalStateException("the stock of " + product + " did not read " + available);
			}
		});
	}

	/**
	 * Waits until every order has ended and has its notification, or the deadline; then
	 * reads each order's payments.
	 */
	public List<OrderFacts> orders(List<PlacedOrder> placed, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<String, String> status = new HashMap<>();
		Map<String, Integer> notified = new HashMap<>();
		for (PlacedOrder order : placed) {
			status.put(order.id(),
					Poll.until(left(deadline), EVERY,
							() -> get("/api/orders/" + order.id()).path("status").asString("UNKNOWN"),
							(now) -> !now.equals("PENDING")));
		}
		for (PlacedOrder order : placed) {
			// (an order still pending has none to wait for)
			Duration patience = status.get(order.id()).equals("PENDING") ? Duration.ZERO : left(deadline);
			notified.put(order.id(),
					Poll.until(patience, EVERY, () -> get("/api/notifications?orderId=" + order.id()).size(),
							(notifications) -> notifications > 0));
		}
		List<OrderFacts> facts = new ArrayList<>();
		for (PlacedOrder order : placed) {
			long succeeded = 0;
			for (JsonNode payment : get("/api/payments?orderId=" + order.id())) {
				if (payment.path("status").asString("").equals("SUCCEEDED")) {
					succeeded++;
				}
			}
			facts.add(new OrderFacts(order, status.get(order.id()), succeeded, notified.get(order.id())));
		}
		return facts;
	}

	/**
	 * Reads each product's stock, waiting (up to the timeout) for nothing to be reserved:
	 * the last sagas' reservations are committed or released just after their orders end.
	 */
	public List<StockFacts> stock(Map<String, Integer> initial, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<StockFacts> facts = new ArrayList<>();
		for (Map.Entry<String, Integer> product : new java.util.TreeMap<>(initial).entrySet()) {
			JsonNode stock = Poll.until(left(deadline), EVERY, () -> stock(product.getKey()),
					(now) -> now.path("reserved").asInt(-1) == 0);
			facts.add(new StockFacts(product.getKey(), product.getValue(), stock.path("available").asInt(-1),
					stock.path("reserved").asInt(-1)));
		}
		return facts;
	}

	private JsonNode stock(String product) {
		return get("/api/inventory/" + product);
	}

	/**
	 * A write sent again with its {@code Idempotency-Key} while the shop cannot answer it
	 * (see {@link #patiently}; a 409 is an attempt still in progress).
	 * @return the {@code Location} of a {@code 202}; empty for any other final answer
	 */
	public Optional<String> retryWrite(Request write) {
		HttpResponse<String> response = patiently(
				write.method() + " " + write.path() + " with Idempotency-Key " + write.idempotencyKey(), Set.of(409),
				() -> HttpRequest.newBuilder(this.gateway.resolve(write.path()))
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", write.idempotencyKey())
					.method(write.method(), HttpRequest.BodyPublishers.ofString(write.body())));
		return (response.statusCode() == 202) ? response.headers().firstValue("Location") : Optional.empty();
	}

	/** A read; anything but a 200 in the end is a failure. */
	private JsonNode get(String path) {
		HttpResponse<String> response = patiently("GET " + path, Set.of(),
				() -> HttpRequest.newBuilder(this.gateway.resolve(path)).GET());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					"GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return this.json.readTree(response.body());
	}

	/**
	 * Sends a request, and again every half second for up to {@link #READ_PATIENCE} while
	 * the landscape cannot answer it: no connection, a 5xx (an application or the
	 * registry still recovering from a fault), or one of the statuses given.
	 * @return the first other answer
	 */
	private HttpResponse<String> patiently(String what, Set<Integer> notYet, Supplier<HttpRequest.Builder> request) {
		record Attempt(HttpResponse<String> answer, String failure) {
		}
		Attempt last = Poll.until(READ_PATIENCE, Duration.ofMillis(500), () -> {
			try {
				HttpResponse<String> response = send(request.get());
				return (response.statusCode() < 500 && !notYet.contains(response.statusCode()))
						? new Attempt(response, null)
						: new Attempt(null, what + " answered " + response.statusCode() + ": " + response.body());
			}
			catch (UncheckedIOException ex) {
				return new Attempt(null, ex.getMessage());
			}
		}, (attempt) -> attempt.answer() != null);
		if (last.answer() == null) {
			throw new IllegalStateException(last.failure() + " (for " + READ_PATIENCE.toSeconds() + " s)");
		}
		return last.answer();
	}

	/** what is left of the time until the deadline ({@link System#nanoTime()}) */
	private static Duration left(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(
					request.timeout(Duration.ofSeconds(10)).header("Accept", "application/json").build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.build().uri() + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
