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
 */
final class GatewayReads {

	record Served(long startedAt, String by) {
	}

	private final HttpClient http;

	private final URI url;

	private final int threads;

	private final boolean canaryKeys;

	private final Duration pause;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger keys = new AtomicInteger();

	private final List<Thread> workers = new ArrayList<>();

	final AtomicInteger total = new AtomicInteger();

	final Map<String, Integer> served = new ConcurrentHashMap<>();

	final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	final ConcurrentLinkedQueue<Served> log = new ConcurrentLinkedQueue<>();

	/**
	 * @param canaryKeys whether each read carries an {@code X-Canary-Key} of its own (so
	 * a canary splits the reads by its percent)
	 * @param pause between one thread's reads: a steady stream rather than a load test
	 */
	GatewayReads(HttpClient http, URI gateway, String path, int threads, boolean canaryKeys, Duration pause) {
		this.http = http;
		this.url = gateway.resolve(path);
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
				HttpRequest.Builder request = HttpRequest.newBuilder(this.url).timeout(Duration.ofSeconds(10));
				if (this.canaryKeys) {
					request.header("X-Canary-Key", "reader-" + this.keys.incrementAndGet());
				}
				HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
