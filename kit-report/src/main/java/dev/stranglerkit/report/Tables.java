package dev.stranglerkit.report;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The report's figures, worked out once from a {@link Comparison} for both the Markdown
 * and the HTML page.
 */
final class Tables {

	static final String NOT_MEASURED = "not measured";

	/** A sender further behind its schedule than this was a bottleneck itself. */
	private static final double SENDER_LAG_MS = 100;

	private static final double MIB = 1024 * 1024;

	private final Comparison comparison;

	private final List<DeploymentRun> runs;

	Tables(Comparison comparison) {
		this.comparison = comparison;
		this.runs = comparison.runs();
	}

	/**
	 * @return one line per failed invariant: {@code <deployment>: <check> (<detail>)}
	 */
	List<String> failures() {
		List<String> failures = new ArrayList<>();
		for (DeploymentRun run : this.runs) {
			for (InvariantCheck check : run.invariants()) {
				if (!check.holds()) {
					failures.add(run.name() + ": " + check.name() + " (" + check.detail() + ")");
				}
			}
		}
		return failures;
	}

	/**
	 * @return what ran, for the line under the title
	 */
	String workload() {
		String workload = number(this.comparison.ratePerSecond()) + " requests/s for "
				+ duration(this.comparison.duration()) + " per deployment";
		Instant when = this.comparison.when();
		return (when != null) ? workload + ", " + when.truncatedTo(ChronoUnit.SECONDS) : workload;
	}

	List<Table> all() {
		return List.of(latency(), throughput(), errors(), split(), sagas(), footprint(), processes(), invariants());
	}

	/**
	 * @return the endpoints of every deployment, sorted
	 */
	Set<String> endpoints() {
		Set<String> endpoints = new TreeSet<>();
		this.runs.stream()
			.filter((run) -> run.workload() != null)
			.forEach((run) -> endpoints.addAll(run.workload().endpoints()));
		return endpoints;
	}

	Table latency() {
		List<List<String>> rows = new ArrayList<>();
		Map<String, Function<WorkloadResult.Percentiles, String>> metrics = new LinkedHashMap<>();
		metrics.put("requests", (latency) -> count(latency.count()));
		metrics.put("p50", (latency) -> ms(latency.p50Ms()));
		metrics.put("p90", (latency) -> ms(latency.p90Ms()));
		metrics.put("p99", (latency) -> ms(latency.p99Ms()));
		metrics.put("p99.9", (latency) -> ms(latency.p999Ms()));
		metrics.put("max", (latency) -> ms(latency.maxMs()));
		for (String endpoint : endpoints()) {
			for (Map.Entry<String, Function<WorkloadResult.Percentiles, String>> metric : metrics.entrySet()) {
				rows.add(row(List.of(endpoint, metric.getKey()),
						(workload) -> metric.getValue().apply(workload.percentiles(endpoint))));
			}
		}
		return new Table("Latency (ms, from each request's intended send time)", header("Endpoint", ""), 2, rows, null);
	}

	Table throughput() {
		List<List<String>> rows = new ArrayList<>();
		rows.add(row(List.of("requests sent"), (workload) -> count(workload.sent())));
		rows.add(row(List.of("send rate (requests/s)"), (workload) -> number(workload.sendRatePerSecond())));
		rows.add(row(List.of("sender behind schedule at worst (ms)"), (workload) -> ms(workload.maxSendLagMs())));
		rows.add(row(List.of("throughput (completed/s)"), (workload) -> number(workload.throughputPerSecond())));
		rows.add(row(List.of("errors (no response or 5xx)"), (workload) -> count(workload.errors())));
		rows.add(row(List.of("error rate"), (workload) -> percent(workload.errors(), workload.completed())));
		List<String> behind = new ArrayList<>();
		for (DeploymentRun run : this.runs) {
			WorkloadResult workload = run.workload();
			if (workload != null && (workload.maxSendLagMs() > SENDER_LAG_MS
					|| workload.sendRatePerSecond() < 0.95 * workload.targetRatePerSecond())) {
				behind.add(run.name() + " (up to " + ms(workload.maxSendLagMs()) + " ms)");
			}
		}
		String note = behind.isEmpty() ? null
				: "The load generator fell behind its schedule in " + String.join(", ", behind)
						+ ": it was a bottleneck itself; the latencies still count from the intended send times.";
		return new Table("Throughput and errors", header(""), 1, rows, note);
	}

	Table errors() {
		List<List<String>> rows = new ArrayList<>();
		for (String endpoint : endpoints()) {
			Set<Integer> statuses = new TreeSet<>();
			this.runs.stream()
				.filter((run) -> run.workload() != null)
				.forEach((run) -> statuses.addAll(run.workload().statuses(endpoint).keySet()));
			for (int status : statuses) {
				rows.add(row(List.of(endpoint, WorkloadResult.statusLabel(status)),
						(workload) -> count(workload.statuses(endpoint).getOrDefault(status, 0L))));
			}
		}
		return new Table("Responses by status", header("Endpoint", "Status"), 2, rows, null);
	}

	Table split() {
		List<List<String>> rows = new ArrayList<>();
		for (String endpoint : endpoints()) {
			for (String server : servers(endpoint)) {
				rows.add(row(List.of(endpoint, server), (workload) -> {
					Map<String, Long> split = workload.servedBy(endpoint);
					long n = split.getOrDefault(server, 0L);
					return count(n) + " (" + percent(n, split.values().stream().mapToLong(Long::longValue).sum()) + ")";
				}));
			}
		}
		return new Table("Traffic split by X-Served-By", header("Endpoint", "X-Served-By"), 2, rows, null);
	}

	/**
	 * @return the {@code X-Served-By} values of an endpoint in every deployment
	 */
	Set<String> servers(String endpoint) {
		Set<String> servers = new TreeSet<>();
		this.runs.stream()
			.filter((run) -> run.workload() != null)
			.forEach((run) -> servers.addAll(run.workload().servedBy(endpoint).keySet()));
		return servers;
	}

	Table sagas() {
		List<List<String>> rows = new ArrayList<>();
		rows.add(cells(List.of("saga completion"), (run) -> summary(run.sagaCompletion())));
		rows.add(cells(List.of("event lag"), (run) -> summary(run.eventLag())));
		if (this.runs.stream().anyMatch((run) -> run.perOrder() != null)) {
			rows.add(cells(List.of("messages per order"),
					(run) -> (run.perOrder() != null) ? number(run.perOrder().messages()) + " ("
							+ number(run.perOrder().brokerMessages()) + " via RabbitMQ)" : "-"));
			rows.add(cells(List.of("database writes per order"),
					(run) -> (run.perOrder() != null) ? number(run.perOrder().databaseWrites()) : "-"));
		}
		return new Table("Saga completion and event lag (ms), cost per order", header(""), 1, rows, null);
	}

	Table footprint() {
		List<List<String>> rows = new ArrayList<>();
		rows.add(cells(List.of("processes"), (run) -> count(run.processes().size())));
		rows.add(cells(List.of("memory, total (MiB)"),
				(run) -> mib(run.processes().stream().mapToLong(Footprint::rssBytes).sum())));
		rows.add(cells(List.of("CPU (s)"),
				(run) -> number(run.processes().stream().mapToDouble(Footprint::cpuSeconds).sum())));
		rows.add(cells(List.of("start-up (s)"), (run) -> number(run.startUpSeconds())));
		return new Table("Footprint", header(""), 1, rows, null);
	}

	Table processes() {
		Map<String, Map<String, Footprint>> byApp = new LinkedHashMap<>();
		for (DeploymentRun run : this.runs) {
			Map<String, Integer> seen = new LinkedHashMap<>();
			for (Footprint process : run.processes()) {
				int n = seen.merge(process.app(), 1, Integer::sum);
				String app = (n == 1) ? process.app() : process.app() + " #" + n;
				byApp.computeIfAbsent(app, (name) -> new LinkedHashMap<>()).put(run.name(), process);
			}
		}
		List<List<String>> rows = new ArrayList<>();
		byApp.forEach((app, processes) -> rows.add(cells(List.of(app), (run) -> {
			Footprint process = processes.get(run.name());
			return (process != null) ? mib(process.rssBytes()) + " MiB, " + number(process.cpuSeconds())
					+ " s CPU, up in " + number(process.startUpSeconds()) + " s (pid " + process.pid() + ")" : "-";
		})));
		return new Table("Processes", header("Application"), 1, rows, null);
	}

	Table invariants() {
		Set<String> names = new LinkedHashSet<>();
		this.runs.forEach((run) -> run.invariants().forEach((check) -> names.add(check.name())));
		List<List<String>> rows = new ArrayList<>();
		for (String name : names) {
			rows.add(cells(List.of(name),
					(run) -> run.invariants()
						.stream()
						.filter((check) -> check.name().equals(name))
						.findFirst()
						.map((check) -> (check.holds() ? "holds: " : "FAILS: ") + check.detail())
						.orElse("not checked")));
		}
		return new Table("Invariants", header("Check"), 1, rows, null);
	}

	private List<String> header(String... labels) {
		List<String> header = new ArrayList<>(List.of(labels));
		this.runs.forEach((run) -> header.add(run.name()));
		return header;
	}

	private List<String> row(List<String> labels, Function<WorkloadResult, String> cell) {
		return cells(labels, (run) -> (run.workload() != null) ? cell.apply(run.workload()) : NOT_MEASURED);
	}

	private List<String> cells(List<String> labels, Function<DeploymentRun, String> cell) {
		List<String> row = new ArrayList<>(labels);
		this.runs.forEach((run) -> row.add(cell.apply(run)));
		return row;
	}

	private static String summary(Summary summary) {
		if (summary == null) {
			return NOT_MEASURED;
		}
		return "n=" + count(summary.count()) + ", p50 " + ms(summary.p50Ms()) + ", p90 " + ms(summary.p90Ms())
				+ ", p99 " + ms(summary.p99Ms()) + ", max " + ms(summary.maxMs());
	}

	static String ms(double ms) {
		return String.format(Locale.ROOT, "%.1f", ms);
	}

	static String number(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? String.format(Locale.ROOT, "%.0f", value)
				: String.format(Locale.ROOT, "%.1f", value);
	}

	static String count(long count) {
		return String.format(Locale.ROOT, "%,d", count);
	}

	private static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.1f", bytes / MIB);
	}

	private static String percent(long part, long whole) {
		return (whole > 0) ? String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole) : "-";
	}

	static String duration(Duration duration) {
		if (duration == null) {
			return "?";
		}
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s"
				: String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

}
