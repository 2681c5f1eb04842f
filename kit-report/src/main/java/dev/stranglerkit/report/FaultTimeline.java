package dev.stranglerkit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A workload's seconds with the faults laid over them (the chart of {@code chaos.html}):
 * throughput and client-visible errors per second above, latency per second (p50 and p99,
 * from the intended send times) below, and each fault a shaded band across both, labelled
 * with its kind and target.
 */
final class FaultTimeline {

	private static final int WIDTH = 960;

	private static final String THROUGHPUT = "#1f77b4";

	private static final String ERRORS = "#d62728";

	private static final String P50 = "#2ca02c";

	private static final String P99 = "#ff7f0e";

	private static final String BAND = "#fdd0a2";

	/**
	 * A fault, in seconds since the workload started.
	 *
	 * @param label its kind and target
	 */
	record Band(double from, double to, String label) {
	}

	private FaultTimeline() {
	}

	static String svg(List<WorkloadResult.Second> timeline, List<Band> faults) {
		int height = 620;
		int seconds = Math.max(1, timeline.size());
		double throughput = Plot.ceiling(timeline.stream().mapToLong(WorkloadResult.Second::completed).max().orElse(1));
		double latency = Plot.ceiling(timeline.stream().mapToDouble(WorkloadResult.Second::p99Ms).max().orElse(1));
		Plot top = new Plot(64, 60, WIDTH - 24, 300, seconds, throughput);
		Plot bottom = new Plot(64, 360, WIDTH - 24, height - 60, seconds, latency);
		Svg svg = new Svg("faults", "Faults over throughput, errors and latency", WIDTH, height);
		for (Band fault : faults) {
			double from = top.x(Math.min(fault.from(), seconds));
			double to = Math.max(from + 2, top.x(Math.min(fault.to(), seconds)));
			for (Plot plot : List.of(top, bottom)) {
				svg.rect(from, plot.top(), to - from, plot.bottom() - plot.top(), BAND, fault.label());
			}
			svg.text(from + 2, top.top() - 24 + 10 * (faults.indexOf(fault) % 3), fault.label(), "start",
					"font-size=\"9\"");
		}
		top.secondsAxes(svg, 12, "", "requests/s");
		bottom.secondsAxes(svg, 12, "seconds", "ms");
		svg.polyline(line(top, timeline, (s) -> s.completed()), THROUGHPUT, "stroke-width=\"1.5\"", "answered/s");
		svg.polyline(line(top, timeline, (s) -> s.errors()), ERRORS, "stroke-width=\"1.5\"", "errors/s");
		svg.polyline(line(bottom, timeline, WorkloadResult.Second::p50Ms), P50, "stroke-width=\"1.5\"", "p50 ms");
		svg.polyline(line(bottom, timeline, WorkloadResult.Second::p99Ms), P99, "stroke-width=\"1.5\"", "p99 ms");
		double x = 64;
		for (String[] entry : new String[][] { { "answered/s", THROUGHPUT }, { "errors/s", ERRORS }, { "p50 ms", P50 },
				{ "p99 ms", P99 }, { "fault", BAND } }) {
			svg.rect(x, height - 22, 12, 12, entry[1], null);
			svg.text(x + 18, height - 12, entry[0], "start", "");
			x += 40 + 7 * entry[0].length();
		}
		return svg.end();
	}

	private static List<double[]> line(Plot plot, List<WorkloadResult.Second> timeline,
			ToDoubleFunction<WorkloadResult.Second> value) {
		List<double[]> points = new ArrayList<>();
		for (WorkloadResult.Second second : timeline) {
			points.add(new double[] { plot.x(second.second() + 0.5), plot.y(value.applyAsDouble(second)) });
		}
		return points;
	}

}
