package dev.stranglerkit.launcher.compare;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.stranglerkit.report.WorkloadResult;

/**
 * The compare's workload: a shopper's mix through the gateway, the same sequence of
 * requests for every deployment (request {@code n} is chosen from {@code n} alone). About
 * a third browses the catalog, a quarter reads stock, and a quarter places orders:
 * approved ones, declined ones (a card ending in 0002) and short ones (the product whose
 * stock the compare sets to 0). It keeps every order the shop accepted, so that the sagas
 * can be checked afterwards.
 * <p>
 * Each order carries an {@code Idempotency-Key} of its own, a random UUID (not derived
 * from {@code n}: a later run against the same database must not be answered with an
 * earlier run's orders), so that the workload can retry an order that got no answer
 * without placing it twice. An order counts as accepted when the client knows it was: its
 * final answer, after any retries, is {@code 202}; one that got none during the run is
 * asked again with its key afterwards ({@link #resolveUnanswered}).
 */
public final class ShopWorkload implements RequestSource, ResponseListener {

	/** the sample shop's products (monolith/src/main/resources/db/migration/catalog) */
	public static final String BEANS = "00000000-0000-0000-0000-000000000001";

	public static final String KETTLE = "00000000-0000-0000-0000-000000000002";

	/** its stock is set to 0 before a run: every order of it is short */
	public static final String GRINDER = "00000000-0000-0000-0000-000000000003";

	/** the stock each product starts a run with */
	public static final Map<String, Integer> STOCK = Map.of(BEANS, 1_000_000, KETTLE, 1_000_000, GRINDER, 0);

	static final String APPROVED_CARD = "4242424242424242";

	static final String DECLINED_CARD = "4000000000000002";

	private final long seed;

	private final ConcurrentLinkedQueue<PlacedOrder> placed = new ConcurrentLinkedQueue<>();

	/** orders whose retries ran out without a final answer */
	private final ConcurrentLinkedQueue<Request> unanswered = new ConcurrentLinkedQueue<>();

	/**
	 * @param seed chooses the sequence (a warm-up uses another seed than the measured
	 * run)
	 */
	public ShopWorkload(long seed) {
		this.seed = seed;
	}

	@Override
	public Request next(long sequence) {
		SplittableRandom random = new SplittableRandom(this.seed * 1_000_003L + sequence);
		int dice = random.nextInt(100);
		String product = random.nextBoolean() ? BEANS : KETTLE;
		if (dice < 35) {
			return new Request("GET /api/catalog/products", "GET", "/api/catalog/products", null);
		}
		if (dice < 50) {
			return new Request("GET /api/catalog/products/{id}", "GET", "/api/catalog/products/" + product, null);
		}
		if (dice < 75) {
			return new Request("GET /api/inventory/{id}", "GET", "/api/inventory/" + product, null);
		}
		if (dice < 90) {
			return order("approved", APPROVED_CARD, product, 1 + random.nextInt(2), sequence);
		}
		if (dice < 95) {
			return order("declined", DECLINED_CARD, product, 1, sequence);
		}
		return order("short", APPROVED_CARD, GRINDER, 1, sequence);
	}

	private static Request order(String kind, String card, String product, int quantity, long sequence) {
		String body = """
				{"customerId": "compare-%d", "card": "%s", "lines": [{"productId": "%s", "quantity": %d}]}"""
			.formatted(sequence % 100, card, product, quantity);
		return new Request("POST /api/orders (" + kind + ")", "POST", "/api/orders", body)
			.withIdempotencyKey(UUID.randomUUID().toString());
	}

	@Override
	public void onResponse(Request request, int status, HttpHeaders headers, String body) {
		if (request.method().equals("POST") && status == 202) {
			headers.firstValue("Location").ifPresent((location) -> accepted(request, location));
		}
		else if (request.method().equals("POST") && (WorkloadResult.isError(status) || status == 409)) {
			this.unanswered.add(request);
		}
	}

	private void accepted(Request request, String location) {
		this.placed
			.add(new PlacedOrder(location, product(request.body()), quantity(request.body()), request.endpoint()));
	}

	/**
	 * Sends each order that got no final answer during the run (its retries ran out in a
	 * fault) once more with its {@code Idempotency-Key}, as a client that must know
	 * would, asking again while the shop cannot answer: a {@code 202} is the order the
	 * first attempts placed, or the one placed now, never a second one.
	 * @return how many of them turned out accepted
	 */
	public int resolveUnanswered(ShopFacts shop) {
		int accepted = 0;
		Request request;
		while ((request = this.unanswered.poll()) != null) {
			Optional<String> location = shop.retryWrite(request);
			if (location.isPresent()) {
				accepted(request, location.get());
				accepted++;
			}
		}
		return accepted;
	}

	/**
	 * @return the orders the shop accepted (202 with a Location), in no particular order
	 */
	public List<PlacedOrder> placed() {
		return List.copyOf(this.placed);
	}

	private static String product(String body) {
		int at = body.indexOf("\"productId\": \"") + "\"productId\": \"".length();
		return body.substring(at, body.indexOf('"', at));
	}

	private static int quantity(String body) {
		int at = body.indexOf("\"quantity\": ") + "\"quantity\": ".length();
		return Integer.parseInt(body.substring(at, body.indexOf('}', at)).trim());
	}

	/**
	 * An order the shop accepted.
	 *
	 * @param location its {@code /api/orders/{id}}
	 * @param product its one product
	 * @param quantity how many
	 * @param endpoint the kind of order (approved, declined, short)
	 */
	public record PlacedOrder(String location, String product, int quantity, String endpoint) {

		public String id() {
			return this.location.substring(this.location.lastIndexOf('/') + 1);
		}

	}

}
