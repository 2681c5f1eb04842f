package dev.stranglerkit.launcher.compare;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the figures the compare needs from applications' Prometheus text
 * ({@code /actuator/prometheus}): sums of a metric over its label sets, and histograms
 * (Micrometer's {@code publishPercentileHistogram}) whose percentiles between two scrapes
 * tell the saga's and the events' times during the run alone.
 */
public final class Prometheus {

	private Prometheus() {
	}

	/**
	 * @return the sum of every sample of the metric (every label set), 0 when absent
	 */
	public static double sum(String text, String metric) {
		double sum = 0;
		for (String line : text.split("\n")) {
			if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
				sum += value(line);
			}
		}
		return sum;
	}

	/**
	 * A histogram: cumulative counts by upper bound (seconds), summed over label sets.
	 */
	public record Histogram(TreeMap<Double, Double> buckets) {

		public static Histogram of(String text, String metric) {
			TreeMap<Double, Double> buckets = new TreeMap<>();
			for (String line : text.split("\n")) {
				if (line.startsWith(metric + "_bucket{")) {
					int le = line.indexOf("le=\"") + 4;
					String bound = line.substring(le, line.indexOf('"', le));
					double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
					buckets.merge(upper, value(line), Double::sum);
				}
			}
			return new Histogram(buckets);
		}

		public Histogram plus(Histogram other) {
			TreeMap<Double, Double> sum = new TreeMap<>(this.buckets);
			other.buckets.forEach((bound, count) -> sum.merge(bound, count, Double::sum));
			return new Histogram(sum);
		}

		public Histogram minus(Histogram earlier) {
			TreeMap<Double, Double> delta = new TreeMap<>();
			this.buckets.forEach((bound, count) -> delta.put(bound, count - earlier.buckets.getOrDefault(bound, 0.0)));
			return new Histogram(delta);
		}

		public long count() {
			return this.buckets.isEmpty() ? 0 : Math.round(this.buckets.lastEntry().getValue());
		}

		/**
		 * @return the upper bound (ms) of the bucket that holds the quantile: the figure
		 * is "at most", to the histogram's resolution
		 */
		public double quantileMs(double quantile) {
			double wanted = quantile * count();
			for (Map.Entry<Double, Double> bucket : this.buckets.entrySet()) {
				if (bucket.getValue() >= wanted && bucket.getValue() > 0) {
					return bucket.getKey() * 1000;
				}
			}
			return Double.NaN;
		}

		/**
		 * @return the summary for the report, or null when nothing was recorded
		 */
		public Summary summary() {
			if (count() == 0) {
				return null;
			}
			return new Summary(count(), quantileMs(0.5), quantileMs(0.9), quantileMs(0.99), quantileMs(1.0));
		}

	}

	/** "name{labels} value [timestamp]" or "name value [timestamp]" */
	private static double value(String line) {
		int labels = line.lastIndexOf('}');
		String rest = (labels >= 0) ? line.substring(labels + 1) : line.substring(line.indexOf(' '));
		return Double.parseDouble(rest.trim().split("\\s+")[0]);
	}

}
