package dev.stranglerkit.configserver.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition ({@code /actuator/prometheus}): enough of
 * the format for the console, a metric name, its labels and its value per line.
 */
final class PrometheusText {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)})?\\s+(\\S+).*$");

	private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	record Sample(String name, Map<String, String> labels, double value) {

		String label(String name) {
			return this.labels.getOrDefault(name, "");
		}

	}

	private PrometheusText() {
	}

	static List<Sample> parse(String text) {
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
	static Double sum(List<Sample> samples, String name) {
		List<Sample> named = samples.stream().filter((sample) -> sample.name().equals(name)).toList();
		return named.isEmpty() ? null : named.stream().mapToDouble(Sample::value).sum();
	}

}
