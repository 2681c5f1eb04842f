package dev.stranglerkit.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads of one path through the gateway on a few threads, recording who served each
 * ({@code X-Served-By}) and every failure: the landscape tests' stream of clients while a
 * route moves.
 * <p>
 * Through several gateways ({@code ./kit scale gateway 2}) it plays the load balancer in
 * front of them, as a Kubernetes Service or an L4 balancer does: the reads go to each in
 * turn, and a read whose connection fails (refused, reset: that gateway is gone) is sent
 * once more to the next one, and counted as a failover. An answer, whatever its status,
 * is never sent again: a 5xx is a failure.
 */
final class GatewayReads {

	record Served(long startedAt, String by) {
	}

	private final HttpClient http;

	private final List<URI> urls;

	private final AtomicInteger turn = new AtomicInteger();

	private final int threads;

	private final boolean canaryKeys;

	private final Duration pause;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger keys = new AtomicInteger();

	private final List<Thread> workers = new ArrayList<>();

	final AtomicInteger total = new AtomicInteger();

	final Map<String, Integer> served = new ConcurrentHashMap<>();

	final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	/** the reads sent again to the next gateway after their connection failed, and why */
	final ConcurrentLinkedQueue<String> failovers = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<Served> log = new ConcurrentLinkedQueue<>();

	/**
	 * @param canaryKeys whether each read carries an {@code X-Canary-Key} of its own (so
	 * a canary splits the reads by its percent)
	 * @param pause between one thread's reads: a steady stream rather than a load test
	 */
	GatewayReads(HttpClient http, URI gateway, String path, int threads, boolean canaryKeys, Duration pause) {
		this(http, List.of(gateway), path, threads, canaryKeys, pause);
	}

	/**
	 * @param gateways the gateways, each read to the next in turn
	 */
	GatewayReads(HttpClient http, List<URI> gateways, String path, int threads, boolean canaryKeys, Duration pause) {
		this.http = http;
		this.urls = gateways.stream().map((gateway) -> gateway.resolve(path)).toList();
		this.threads = threads;
		this.canaryKeys = canaryKeys;
		this.pause = pause;
	}

	void start() {
		for (int i = 0; i < this.threads; i++) {
			this.workers.add(Thread.ofPlatform().name("reads-" + i).start(this::run));
		}
	}

	void stop() throws InterruptedException {
		this.running.set(false);
		for (Thread worker : this.workers) {
			worker.join();
		}
	}

	private void run() {
		while (this.running.get()) {
			long started = System.nanoTime();
			try {
				String key = this.canaryKeys ? "reader-" + this.keys.incrementAndGet() : null;
				int first = Math.floorMod(this.turn.getAndIncrement(), this.urls.size());
				HttpResponse<String> response;
				try {
					response = read(this.urls.get(first), key);
				}
				catch (IOException ex) {
					// refused or reset: that gateway is gone; a read that timed out is a
					// failure, not a failover
					if (this.urls.size() == 1 || ex instanceof java.net.http.HttpTimeoutException) {
						throw ex;
					}
					URI next = this.urls.get((first + 1) % this.urls.size());
					this.failovers.add(this.urls.get(first).getAuthority() + " -> " + next.getAuthority() + ": " + ex);
					response = read(next, key);
				}
				String by = response.headers().firstValue("X-Served-By").orElse("none");
				if (response.statusCode() != 200) {
					this.failures.add(response.statusCode() + " from " + by + ": " + response.body());
				}
				else {
					this.served.merge(by, 1, Integer::sum);
					this.log.add(new Served(started, by));
				}
				if (!this.pause.isZero()) {
					Thread.sleep(this.pause);
				}
			}
			catch (IOException ex) {
				this.failures.add(ex.toString());
			}
			catch (InterruptedException ex) {
				return;
			}
			this.total.incrementAndGet();
		}
	}

	private HttpResponse<String> read(URI url, String canaryKey) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10));
		if (canaryKey != null) {
			request.header("X-Canary-Key", canaryKey);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * @return when the first read that started after the given time was served by it
	 */
	Long firstServedBySince(String by, long since) {
		return this.log.stream()
			.filter((served) -> served.startedAt() >= since && served.by().equals(by))
			.map(Served::startedAt)
			.min(Long::compare)
			.orElse(null);
	}

	long countSince(long since) {
		return this.log.stream().filter((served) -> served.startedAt() >= since).count();
	}

	List<String> servedBySince(long since) {
		return this.log.stream().filter((served) -> served.startedAt() >= since).map(Served::by).distinct().toList();
	}

}
