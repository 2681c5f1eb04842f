package dev.stranglerkit.launcher.compare;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.stranglerkit.control.Tls;
import dev.stranglerkit.report.Recorder;
import dev.stranglerkit.report.WorkloadResult;

/**
 * An open-model load generator: request {@code i} goes out at {@code start + i / rate}
 * however many are still waiting for their response, as users keep arriving at a shop
 * whether or not it is slow. Each latency counts from the request's intended send time,
 * not from when it actually went out: a stalled system (or a late sender) cannot hide
 * latency by holding the load back (the correction for coordinated omission).
 * <p>
 * A request that times out or cannot connect counts as status {@code 0} with the latency
 * it took to fail.
 * <p>
 * A request with an {@code Idempotency-Key} is retried as a client of the shop would:
 * when it got no answer (a timeout, a refused or reset connection), a {@code 502},
 * {@code 503} or {@code 504} from the gateway, or a {@code 409} (the first attempt still
 * in progress), it is sent again with the same key, up to {@value #RETRIES} times, after
 * {@code 100}, {@code 200} and {@code 400} ms. Only its last answer counts (and reaches
 * the listener), with its latency from the first attempt's intended time: what the client
 * saw. Requests without a key are sent once.
 */
public final class Workload {

	/** How long a request may take by default before it counts as an error. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** How often a request with an {@code Idempotency-Key} is sent again at most. */
	static final int RETRIES = 3;

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	private static final Set<Integer> RETRIED_STATUSES = Set.of(409, 502, 503, 504);

	private final String base;

	private final double rate;

	private final Duration duration;

	private final RequestSource source;

	private ResponseListener listener = (request, status, headers, body) -> {
	};

	private Duration timeout = DEFAULT_TIMEOUT;

	private Consumer<String> progress = (line) -> {
	};

	private Duration progressEvery = Duration.ZERO;

	/**
	 * @param base the target, e.g. the gateway's {@code http://127.0.0.1:8080}; the
	 * requests' paths are appended to it
	 * @param ratePerSecond requests sent per second
	 * @param duration how long to send for
	 */
	public Workload(URI base, double ratePerSecond, Duration duration, RequestSource source) {
		if (!(ratePerSecond > 0)) {
			throw new IllegalArgumentException("the rate is above 0 requests/s, not " + ratePerSecond);
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("the duration is above 0, not " + duration);
		}
		String text = base.toString();
		this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
		this.rate = ratePerSecond;
		this.duration = duration;
		this.source = Objects.requireNonNull(source, "source");
	}

	public Workload listener(ResponseListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
		return this;
	}

	/**
	 * Says how far the run is, every so often while it sends: elapsed and remaining
	 * seconds, requests sent and answered.
	 */
	public Workload progress(Duration every, Consumer<String> out) {
		this.progressEvery = Objects.requireNonNull(every, "every");
		this.progress = Objects.requireNonNull(out, "out");
		return this;
	}

	/**
	 * @param timeout how long a request may take before it counts as an error
	 */
	public Workload timeout(Duration timeout) {
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		return this;
	}

	/**
	 * Sends for the duration, then waits up to the timeout for the requests still
	 * outstanding. Interrupted, it stops sending and returns what it measured so far.
	 */
	public WorkloadResult run() {
		long count = (long) Math.ceil(this.rate * this.duration.toNanos() / 1e9 - 1e-6);
		Recorder recorder = new Recorder(this.rate, this.duration);
		CountDownLatch outstanding = new CountDownLatch((int) Math.min(count, Integer.MAX_VALUE));
		HttpClient client = Tls.httpClient().version(HttpClient.Version.HTTP_1_1).connectTimeout(this.timeout).build();
		try {
			long start = System.nanoTime();
			long nextReport = start + this.progressEvery.toNanos();
			for (long i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
				Request request = this.source.next(i);
				long intended = start + Math.round(i * 1e9 / this.rate);
				sleepUntil(intended);
				if (!this.progressEvery.isZero() && intended >= nextReport) {
					long elapsed = Math.round((intended - start) / 1e9);
					this.progress.accept("%d s of %d s (%d s left): %d requests sent, %d answered".formatted(elapsed,
							this.duration.toSeconds(), this.duration.toSeconds() - elapsed, i,
							count - outstanding.getCount()));
					nextReport += this.progressEvery.toNanos();
				}
				recorder.sent(Math.max(0, System.nanoTime() - intended));
				send(client, request, start, intended, recorder)
					.whenComplete((done, failure) -> outstanding.countDown());
			}
			recorder.sendingEnded(System.nanoTime() - start);
			outstanding.await(longestRequest().toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			client.shutdownNow();
		}
		return recorder.result();
	}

	private CompletableFuture<?> send(HttpClient client, Request request, long start, long intended,
			Recorder recorder) {
		return attempt(client, request, (request.idempotencyKey() != null) ? RETRIES : 0, FIRST_BACKOFF)
			.whenComplete((answer, failure) -> {
				long completed = System.nanoTime() - start;
				if (answer == null) {
					recorder.completed(request.endpoint(), WorkloadResult.NO_RESPONSE, null, intended - start,
							completed);
					return;
				}
				recorder.completed(request.endpoint(), answer.statusCode(),
						answer.headers().firstValue("X-Served-By").orElse(null), intended - start, completed);
				try {
					this.listener.onResponse(request, answer.statusCode(), answer.headers(), answer.body());
				}
				catch (RuntimeException ex) {
					// the listener's trouble is not the deployment's
				}
			});
	}

	/**
	 * Sends the request, and again after the back-off (doubled each time) while it gets
	 * no answer or one worth retrying and retries are left.
	 */
	private CompletableFuture<HttpResponse<String>> attempt(HttpClient client, Request request, int retriesLeft,
			Duration backoff) {
		CompletableFuture<HttpResponse<String>> response;
		try {
			response = client.sendAsync(httpRequest(request), HttpResponse.BodyHandlers.ofString())
				.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		if (retriesLeft == 0) {
			return response;
		}
		return response.exceptionally((failure) -> null).thenCompose((answer) -> {
			if (answer != null && !RETRIED_STATUSES.contains(answer.statusCode())) {
				return CompletableFuture.completedFuture(answer);
			}
			Executor later = CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS);
			return CompletableFuture.supplyAsync(() -> backoff.multipliedBy(2), later)
				.thenCompose((next) -> attempt(client, request, retriesLeft - 1, next));
		});
	}

	/**
	 * @return how long a request may take with all its retries
	 */
	private Duration longestRequest() {
		return this.timeout.multipliedBy(RETRIES + 1).plus(FIRST_BACKOFF.multipliedBy((1L << RETRIES) - 1));
	}

	private HttpRequest httpRequest(Request request) {
		String path = request.path().startsWith("/") ? request.path() : "/" + request.path();
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(this.timeout)
			.header("X-Kit-Workload", "compare");
		if (request.idempotencyKey() != null) {
			builder.header("Idempotency-Key", request.idempotencyKey());
		}
		if (request.body() != null) {
			builder.header("Content-Type", "application/json")
				.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
		}
		else {
			builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
		}
		return builder.build();
	}

	private static void sleepUntil(long nanoTime) {
		long remaining;
		while ((remaining = nanoTime - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
			LockSupport.parkNanos(remaining);
		}
	}

}
