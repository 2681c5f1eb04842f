package dev.stranglerkit.launcher.compare;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-model load generator: request {@code i} goes out at {@code start + i / rate}
 * however many are still waiting for their response, as users keep arriving at a shop
 * whether or not it is slow. Each latency counts from the request's intended send time,
 * not from when it actually went out: a stalled system (or a late sender) cannot hide
 * latency by holding the load back (the correction for coordinated omission).
 * <p>
 * A request that times out or cannot connect counts as status {@code 0} with the latency
 * it took to fail.
 */
public final class Workload {

	/** How long a request may take by default before it counts as an error. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final String base;

	private final double rate;

	private final Duration duration;

	private final RequestSource source;

	private ResponseListener listener = (request, status, headers, body) -> {
	};

	private Duration timeout = DEFAULT_TIMEOUT;

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
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(this.timeout)
			.build();
		try {
			long start = System.nanoTime();
			for (long i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
				Request request = this.source.next(i);
				long intended = start + Math.round(i * 1e9 / this.rate);
				sleepUntil(intended);
				recorder.sent(Math.max(0, System.nanoTime() - intended));
				send(client, request, start, intended, recorder)
					.whenComplete((done, failure) -> outstanding.countDown());
			}
			recorder.sendingEnded(System.nanoTime() - start);
			outstanding.await(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
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
		CompletableFuture<HttpResponse<String>> response;
		try {
			response = client.sendAsync(httpRequest(request), HttpResponse.BodyHandlers.ofString())
				.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			response = CompletableFuture.failedFuture(ex);
		}
		return response.whenComplete((answer, failure) -> {
			long completed = System.nanoTime() - start;
			if (answer == null) {
				recorder.completed(request.endpoint(), WorkloadResult.NO_RESPONSE, null, intended - start, completed);
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

	private HttpRequest httpRequest(Request request) {
		String path = request.path().startsWith("/") ? request.path() : "/" + request.path();
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(this.timeout)
			.header("X-Kit-Workload", "compare");
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
