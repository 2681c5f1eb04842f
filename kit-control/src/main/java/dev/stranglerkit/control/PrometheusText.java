package dev.stranglerkit.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of the applications' Prometheus text ({@code /actuator/prometheus}) for
 * the console, {@code ./kit compare} and {@code ./kit chaos}: enough of the format for
 * them, a metric name, its labels and its value per line; sums over label sets; and
 * Micrometer's percentile histograms, whose difference between two scrapes tells the
 * percentiles of what happened in between.
 */
public final class PrometheusText {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)})?\\s+(\\S+).*$");

	private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/** One line: a metric's value for one set of labels. */
	public record Sample(String name, Map<String, String> labels, double value) {

		/**
		 * @return the label's value, empty when the sample has none
		 */
		public String label(String name) {
			return this.labels.getOrDefault(name, "");
		}

	}

	private PrometheusText() {
	}

	public static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			Matcher sample = SAMPLE.matcher(line.trim());
			if (line.startsWith("#") || !sample.matches()) {
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
				}
			}
			try {
				samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
			}
			catch (NumberFormatException ex) {
				// NaN and infinities parse; anything else is not a sample
			}
		}
		return samples;
	}

	/**
	 * @return the sum of the metric's samples (over all its labels), or null when it has
	 * none
	 */
	public static Double sum(List<Sample> samples, String name) {
		List<Sample> named = samples.stream().filter((sample) -> sample.name().equals(name)).toList();
		return named.isEmpty() ? null : named.stream().mapToDouble(Sample::value).sum();
	}

	/**
	 * @return the sum of the metric's samples in the text (over all its labels), 0 when
	 * it has none
	 */
	public static double sum(String text, String name) {
		Double sum = sum(parse(text), name);
		return (sum != null) ? sum : 0;
	}

	/**
	 * A histogram: cumulative counts by upper bound (seconds), summed over label sets.
	 */
	public record Histogram(TreeMap<Double, Double> buckets) {

		/**
		 * @return the histogram of the metric ({@code <metric>_bucket}) in the text
		 */
		public static Histogram of(String text, String metric) {
			TreeMap<Double, Double> buckets = new TreeMap<>();
			for (Sample sample : parse(text)) {
				if (sample.name().equals(metric + "_bucket")) {
					String bound = sample.label("le");
					double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
					buckets.merge(upper, sample.value(), Double::sum);
				}
			}
			return new Histogram(buckets);
		}

		public Histogram plus(Histogram other) {
			TreeMap<Double, Double> sum = new TreeMap<>(this.buckets);
			other.buckets.forEach((bound, count) -> sum.merge(bound, count, Double::sum));
			return new Histogram(sum);
		}

		/**
		 * @return what was recorded between an earlier scrape and this one
		 */
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

	}

}
