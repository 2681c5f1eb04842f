package dev.stranglerkit.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * Collects a workload's measurements while the responses come in, from many threads, and
 * hands out a {@link WorkloadResult}. Times are nanoseconds since the workload's start.
 */
public final class Recorder {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private final double targetRate;

	private final Duration duration;

	private final Map<String, Histogram> latencies = new TreeMap<>();

	private final Map<String, Map<Integer, Long>> statuses = new TreeMap<>();

	private final Map<String, Map<String, Long>> servedBy = new TreeMap<>();

	/** per second: completed, errors, sum of the latencies in microseconds */
	private final List<long[]> seconds = new ArrayList<>();

	/** per second: the latencies in microseconds */
	private final List<Histogram> secondLatencies = new ArrayList<>();

	private long sent;

	private long maxSendLag;

	private long sendingEnded;

	private long lastCompletion;

	public Recorder(double targetRate, Duration duration) {
		this.targetRate = targetRate;
		this.duration = duration;
	}

	/**
	 * A request went out.
	 * @param lag how long after its intended time
	 */
	public synchronized void sent(long lag) {
		this.sent++;
		this.maxSendLag = Math.max(this.maxSendLag, lag);
	}

	public synchronized void sendingEnded(long at) {
		this.sendingEnded = at;
	}

	/**
	 * A request completed, with a response or without one.
	 * @param status the response's status, 0 when none came
	 * @param servedBy the response's {@code X-Served-By} header, or null
	 * @param intended when the request should have gone out
	 * @param completed when its response (or its error) came
	 */
	public synchronized void completed(String endpoint, int status, String servedBy, long intended, long completed) {
		long micros = Math.max(0, (completed - intended) / 1000);
		this.latencies.computeIfAbsent(endpoint, (name) -> new Histogram(3)).recordValue(micros);
		this.statuses.computeIfAbsent(endpoint, (name) -> new TreeMap<>()).merge(status, 1L, Long::sum);
		if (status > 0) {
			this.servedBy.computeIfAbsent(endpoint, (name) -> new TreeMap<>())
				.merge((servedBy != null) ? servedBy : "-", 1L, Long::sum);
		}
		int second = (int) (Math.max(0, completed) / SECOND);
		while (this.seconds.size() <= second) {
			this.seconds.add(new long[3]);
			this.secondLatencies.add(new Histogram(2));
		}
		this.secondLatencies.get(second).recordValue(micros);
		long[] counts = this.seconds.get(second);
		counts[0]++;
		counts[1] += WorkloadResult.isError(status) ? 1 : 0;
		counts[2] += micros;
		this.lastCompletion = Math.max(this.lastCompletion, completed);
	}

	public synchronized WorkloadResult result() {
		Map<String, Histogram> latencies = new TreeMap<>();
		this.latencies.forEach((endpoint, histogram) -> latencies.put(endpoint, histogram.copy()));
		List<WorkloadResult.Second> timeline = new ArrayList<>();
		for (int i = 0; i < this.seconds.size(); i++) {
			long[] counts = this.seconds.get(i);
			double mean = (counts[0] > 0) ? counts[2] / 1000.0 / counts[0] : 0;
			Histogram micros = this.secondLatencies.get(i);
			timeline.add(new WorkloadResult.Second(i, counts[0], counts[1], mean,
					micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0));
		}
		long runNanos = Math.max(Math.max(this.duration.toNanos(), this.sendingEnded), this.lastCompletion);
		long sendingNanos = Math.max(this.duration.toNanos(), this.sendingEnded);
		return new WorkloadResult(this.targetRate, this.duration, this.sent, this.maxSendLag, sendingNanos, runNanos,
				latencies, this.statuses, this.servedBy, timeline);
	}

}
