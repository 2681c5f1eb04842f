package dev.stranglerkit.report;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * What a {@link Workload} measured, per endpoint: latencies (from each request's intended
 * send time, so a stall shows in full), statuses, and which side served the traffic (the
 * {@code X-Served-By} header); and over time, per second. Also how well the sender kept
 * to its schedule: when it fell behind, the load generator was the bottleneck and the
 * deployment was not offered the rate asked for.
 */
public final class WorkloadResult {

	/** Status recorded for a request that got no response (timeout, connection error). */
	public static final int NO_RESPONSE = 0;

	private final double targetRate;

	private final Duration duration;

	private final long sent;

	private final long maxSendLagNanos;

	private final long sendingNanos;

	private final long runNanos;

	private final Map<String, Histogram> latencies;

	private final Map<String, Map<Integer, Long>> statuses;

	private final Map<String, Map<String, Long>> servedBy;

	private final List<Second> timeline;

	WorkloadResult(double targetRate, Duration duration, long sent, long maxSendLagNanos, long sendingNanos,
			long runNanos, Map<String, Histogram> latencies, Map<String, Map<Integer, Long>> statuses,
			Map<String, Map<String, Long>> servedBy, List<Second> timeline) {
		this.targetRate = targetRate;
		this.duration = duration;
		this.sent = sent;
		this.maxSendLagNanos = maxSendLagNanos;
		this.sendingNanos = sendingNanos;
		this.runNanos = runNanos;
		this.latencies = Collections.unmodifiableMap(new TreeMap<>(latencies));
		this.statuses = copy(statuses);
		this.servedBy = copy(servedBy);
		this.timeline = List.copyOf(timeline);
	}

	private static <K> Map<String, Map<K, Long>> copy(Map<String, Map<K, Long>> counts) {
		Map<String, Map<K, Long>> copy = new TreeMap<>();
		counts.forEach((endpoint, byKey) -> copy.put(endpoint, Collections.unmodifiableMap(new TreeMap<>(byKey))));
		return Collections.unmodifiableMap(copy);
	}

	/**
	 * @return true for no response and for server errors (5xx)
	 */
	public static boolean isError(int status) {
		return status == NO_RESPONSE || status >= 500;
	}

	/**
	 * @return how a status is shown: its number, or {@code error} for no response
	 */
	public static String statusLabel(int status) {
		return (status == NO_RESPONSE) ? "error" : Integer.toString(status);
	}

	/**
	 * @return the endpoints that completed at least one request, sorted
	 */
	public Set<String> endpoints() {
		return this.latencies.keySet();
	}

	/**
	 * @return a copy of the endpoint's latencies in microseconds (empty for an unknown
	 * endpoint)
	 */
	public Histogram histogram(String endpoint) {
		Histogram histogram = this.latencies.get(endpoint);
		return (histogram != null) ? histogram.copy() : new Histogram(3);
	}

	/**
	 * @return the latencies of every endpoint together, in microseconds
	 */
	public Histogram histogram() {
		Histogram all = new Histogram(3);
		this.latencies.values().forEach(all::add);
		return all;
	}

	public Percentiles percentiles(String endpoint) {
		return Percentiles.of(histogram(endpoint));
	}

	/**
	 * @return the endpoint's completed requests by status ({@link #NO_RESPONSE} for none)
	 */
	public Map<Integer, Long> statuses(String endpoint) {
		return this.statuses.getOrDefault(endpoint, Map.of());
	}

	/**
	 * @return every endpoint's completed requests by status
	 */
	public Map<Integer, Long> statuses() {
		Map<Integer, Long> all = new TreeMap<>();
		this.statuses.values().forEach((counts) -> counts.forEach((status, n) -> all.merge(status, n, Long::sum)));
		return all;
	}

	/**
	 * @return the endpoint's responses by their {@code X-Served-By} header ({@code -}
	 * when missing); requests without a response are not counted
	 */
	public Map<String, Long> servedBy(String endpoint) {
		return this.servedBy.getOrDefault(endpoint, Map.of());
	}

	public long errors(String endpoint) {
		return statuses(endpoint).entrySet()
			.stream()
			.filter((count) -> isError(count.getKey()))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	/**
	 * @return the requests that got no response or a server error (5xx)
	 */
	public long errors() {
		return this.latencies.keySet().stream().mapToLong(this::errors).sum();
	}

	/**
	 * @return the requests completed in each second of the run
	 */
	public List<Second> timeline() {
		return this.timeline;
	}

	public double targetRatePerSecond() {
		return this.targetRate;
	}

	public Duration duration() {
		return this.duration;
	}

	public long sent() {
		return this.sent;
	}

	/**
	 * @return the requests that completed, with a response or an error
	 */
	public long completed() {
		return this.latencies.values().stream().mapToLong(Histogram::getTotalCount).sum();
	}

	/**
	 * @return completed requests (errors included) per second, from the start until the
	 * last one completed
	 */
	public double throughputPerSecond() {
		return perSecond(completed(), this.runNanos);
	}

	/**
	 * @return the rate the requests actually went out at: below the target when the
	 * sender could not keep up
	 */
	public double sendRatePerSecond() {
		return perSecond(this.sent, this.sendingNanos);
	}

	/**
	 * @return how far behind its schedule the sender was at worst, in milliseconds; more
	 * than a few milliseconds means the load generator itself was a bottleneck (the
	 * latencies still count from the intended times, so the deployment is not flattered)
	 */
	public double maxSendLagMs() {
		return this.maxSendLagNanos / 1e6;
	}

	private static double perSecond(long count, long nanos) {
		return (nanos > 0) ? count / (nanos / 1e9) : 0;
	}

	/**
	 * One second of the run.
	 *
	 * @param second seconds since the start
	 * @param completed requests that completed in that second, errors included
	 * @param errors of which got no response or a server error
	 * @param meanLatencyMs their mean latency
	 * @param p50Ms their median latency
	 * @param p99Ms their 99th percentile latency
	 */
	public record Second(int second, long completed, long errors, double meanLatencyMs, double p50Ms, double p99Ms) {
	}

	/**
	 * An endpoint's latency percentiles in milliseconds.
	 */
	public record Percentiles(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

		/**
		 * @param micros latencies in microseconds
		 */
		public static Percentiles of(Histogram micros) {
			if (micros.getTotalCount() == 0) {
				return new Percentiles(0, 0, 0, 0, 0, 0);
			}
			return new Percentiles(micros.getTotalCount(), ms(micros, 50), ms(micros, 90), ms(micros, 99),
					ms(micros, 99.9), micros.getMaxValue() / 1000.0);
		}

		private static double ms(Histogram micros, double percentile) {
			return micros.getValueAtPercentile(percentile) / 1000.0;
		}

	}

}
