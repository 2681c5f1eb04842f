package dev.stranglerkit.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

import org.HdrHistogram.Histogram;

/**
 * The report's three kinds of chart, as inline SVG: latency by percentile per endpoint
 * (one line per deployment), throughput and errors over time per deployment, and the
 * traffic split by {@code X-Served-By} per deployment.
 */
final class Charts {

	private static final String[] COLORS = { "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
			"#17becf", "#bcbd22", "#7f7f7f" };

	private static final String ERRORS = "#d62728";

	private static final String NO_HEADER = "#bdbdbd";

	/** the percentile axis: x is the number of nines, 0 = 0 %, 1 = 90 %, 2 = 99 % ... */
	private static final double NINES = 4;

	private static final int WIDTH = 680;

	private final List<DeploymentRun> runs;

	Charts(List<DeploymentRun> runs) {
		this.runs = runs;
	}

	/**
	 * @return the deployment's colour, the same in every chart
	 */
	String color(DeploymentRun run) {
		return COLORS[this.runs.indexOf(run) % COLORS.length];
	}

	String latency(String endpoint) {
		int height = 330;
		double max = 0;
		for (DeploymentRun run : this.runs) {
			if (run.workload() != null) {
				max = Math.max(max, run.workload().percentiles(endpoint).maxMs());
			}
		}
		Plot plot = new Plot(64, 40, WIDTH - 24, height - 76, NINES, Plot.ceiling(max));
		Svg svg = new Svg("latency", "Latency by percentile: " + endpoint, WIDTH, height);
		svg.text(WIDTH / 2.0, 18, endpoint, "middle", "font-weight=\"bold\"");
		plot.axes(svg, List.of(0.0, 1.0, 2.0, 3.0, 4.0), List.of("0", "90", "99", "99.9", "99.99"), "percentile", "ms");
		List<DeploymentRun> drawn = new ArrayList<>();
		for (DeploymentRun run : this.runs) {
			Histogram micros = (run.workload() != null) ? run.workload().histogram(endpoint) : new Histogram(3);
			if (micros.getTotalCount() == 0) {
				continue;
			}
			List<double[]> points = new ArrayList<>();
			for (int i = 0; i <= 80; i++) {
				double nines = NINES * i / 80;
				double percentile = 100 * (1 - Math.pow(10, -nines));
				points.add(new double[] { plot.x(nines), plot.y(micros.getValueAtPercentile(percentile) / 1000.0) });
			}
			svg.polyline(points, color(run), "stroke-width=\"2\"", run.name());
			drawn.add(run);
		}
		if (drawn.isEmpty()) {
			svg.text(WIDTH / 2.0, height / 2.0, "no requests", "middle", "");
		}
		Map<String, String> legend = new LinkedHashMap<>();
		drawn.forEach((run) -> legend.put(run.name(), color(run)));
		legend(svg, legend, height - 16);
		return svg.end();
	}

	String timeline(DeploymentRun run) {
		int height = 300;
		int seconds = 1;
		long max = 0;
		for (DeploymentRun each : this.runs) {
			if (each.workload() != null) {
				seconds = Math.max(seconds, each.workload().timeline().size());
				max = Math.max(max,
						each.workload()
							.timeline()
							.stream()
							.mapToLong(WorkloadResult.Second::completed)
							.max()
							.orElse(0));
			}
		}
		Plot plot = new Plot(64, 40, WIDTH - 24, height - 76, seconds, Plot.ceiling(max));
		Svg svg = new Svg("timeline", "Throughput and errors over time: " + run.name(), WIDTH, height);
		svg.text(WIDTH / 2.0, 18, run.name(), "middle", "font-weight=\"bold\"");
		plot.secondsAxes(svg, 10, "seconds", "requests/s");
		List<WorkloadResult.Second> timeline = (run.workload() != null) ? run.workload().timeline() : List.of();
		svg.polyline(steps(plot, timeline, seconds, WorkloadResult.Second::completed), color(run), "stroke-width=\"2\"",
				"completed/s");
		svg.polyline(steps(plot, timeline, seconds, WorkloadResult.Second::errors), ERRORS,
				"stroke-width=\"2\" stroke-dasharray=\"5,3\"", "errors/s");
		if (run.workload() == null) {
			svg.text(WIDTH / 2.0, height / 2.0, Tables.NOT_MEASURED, "middle", "");
		}
		Map<String, String> legend = new LinkedHashMap<>();
		legend.put("completed/s", color(run));
		legend.put("errors/s", ERRORS);
		legend(svg, legend, height - 16);
		return svg.end();
	}

	/**
	 * @return a step line: each second's count held across the second, and 0 after the
	 * timeline's end
	 */
	private static List<double[]> steps(Plot plot, List<WorkloadResult.Second> timeline, int seconds,
			ToLongFunction<WorkloadResult.Second> count) {
		List<double[]> points = new ArrayList<>();
		for (int second = 0; second < seconds; second++) {
			long value = (second < timeline.size()) ? count.applyAsLong(timeline.get(second)) : 0;
			points.add(new double[] { plot.x(second), plot.y(value) });
			points.add(new double[] { plot.x(second + 1), plot.y(value) });
		}
		return points;
	}

	String split(DeploymentRun run, Set<String> endpoints) {
		Set<String> servers = new TreeSet<>();
		for (DeploymentRun each : this.runs) {
			if (each.workload() != null) {
				endpoints.forEach((endpoint) -> servers.addAll(each.workload().servedBy(endpoint).keySet()));
			}
		}
		Map<String, String> colors = new LinkedHashMap<>();
		int i = 0;
		for (String server : servers) {
			colors.put(server, server.equals("-") ? NO_HEADER : COLORS[i++ % COLORS.length]);
		}
		int row = 28;
		int top = 34;
		int height = top + Math.max(1, endpoints.size()) * row + 44;
		double left = 250;
		double width = WIDTH - 24 - left;
		Svg svg = new Svg("split", "Traffic split by X-Served-By: " + run.name(), WIDTH, height);
		svg.text(WIDTH / 2.0, 18, run.name(), "middle", "font-weight=\"bold\"");
		int y = top;
		for (String endpoint : endpoints) {
			svg.text(left - 8, y + row / 2.0 + 4, shorten(endpoint), "end", "");
			Map<String, Long> split = (run.workload() != null) ? run.workload().servedBy(endpoint) : Map.of();
			long total = split.values().stream().mapToLong(Long::longValue).sum();
			if (total == 0) {
				svg.text(left, y + row / 2.0 + 4, "no responses", "start", "fill=\"#757575\"");
			}
			double x = left;
			for (Map.Entry<String, Long> server : split.entrySet()) {
				double share = (double) server.getValue() / total;
				String percent = Tables.number(Math.round(share * 1000) / 10.0) + " %";
				svg.rect(x, y + 4, share * width, row - 8, colors.get(server.getKey()),
						server.getKey() + ": " + Tables.count(server.getValue()) + " (" + percent + ")");
				if (share * width > 48) {
					svg.text(x + share * width / 2, y + row / 2.0 + 4, percent, "middle", "fill=\"#fff\"");
				}
				x += share * width;
			}
			y += row;
		}
		if (endpoints.isEmpty()) {
			svg.text(WIDTH / 2.0, y + row / 2.0, "no requests", "middle", "");
		}
		legend(svg, colors, height - 16);
		return svg.end();
	}

	private static void legend(Svg svg, Map<String, String> entries, double y) {
		double x = 64;
		for (Map.Entry<String, String> entry : entries.entrySet()) {
			svg.rect(x, y - 10, 12, 12, entry.getValue(), null);
			String label = shorten(entry.getKey());
			svg.text(x + 18, y, label, "start", "");
			x += 36 + 7 * label.length();
		}
	}

	private static String shorten(String text) {
		return (text.length() <= 36) ? text : text.substring(0, 35) + "…";
	}

}
