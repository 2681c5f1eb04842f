package dev.stranglerkit.launcher;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import dev.stranglerkit.launcher.compare.FaultTimeline;
import dev.stranglerkit.launcher.compare.Html;
import dev.stranglerkit.launcher.compare.InvariantCheck;
import dev.stranglerkit.launcher.compare.WorkloadResult;

/**
 * The report of a chaos run ({@code chaos.md}, and {@code chaos.html} with the timeline
 * drawn): the faults with how long the landscape took to recover from each (the target
 * back, and no client-visible error for three seconds in a row), the workload's errors
 * second by second around them, and the invariants.
 */
final class ChaosReport {

	/** How many error-free seconds in a row count as recovered. */
	static final int QUIET_SECONDS = 3;

	private ChaosReport() {
	}

	static String markdown(Chaos run, List<Chaos.Injected> faults, WorkloadResult result,
			List<InvariantCheck> invariants) {
		boolean holds = invariants.stream().allMatch(InvariantCheck::holds);
		StringBuilder md = new StringBuilder();
		md.append("# Chaos on `%s`: invariants %s%n%n".formatted(run.preset().name(), holds ? "hold" : "FAILED"));
		md.append("Seed %d (`./kit chaos %s --seed %d --duration %d --rate %.0f --faults %s` repeats it); ".formatted(
				run.seed(), run.preset().name(), run.seed(), run.duration().toSeconds(), run.rate(),
				String.join(",", run.kinds().stream().map((k) -> k.name().toLowerCase(Locale.ROOT)).toList())));
		md.append("%d requests sent, %d answered, %d client-visible errors (no answer or 5xx).%n%n"
			.formatted(result.sent(), result.completed(), result.errors()));
		md.append("## Faults\n\n| at (s) | kind | target | back after (s) | recovered after (s) | errors |\n");
		md.append("|---:|---|---|---:|---:|---:|\n");
		for (Chaos.Injected fault : faults) {
			md.append("| %.1f | %s | %s | %.1f | %s | %d |%n".formatted(fault.startedAt(),
					fault.kind().name().toLowerCase(Locale.ROOT), fault.target(), fault.endedAt() - fault.startedAt(),
					shown(recovery(fault, result.timeline())), errorsDuring(fault, result.timeline())));
		}
		md.append("\n## Per fault kind\n\n| kind | injected | errors | longest recovery (s) |\n|---|---:|---:|---:|\n");
		Map<Chaos.Kind, List<Chaos.Injected>> byKind = new TreeMap<>();
		faults.forEach((fault) -> byKind.computeIfAbsent(fault.kind(), (k) -> new java.util.ArrayList<>()).add(fault));
		byKind
			.forEach((kind, list) -> md.append("| %s | %d | %d | %s |%n".formatted(kind.name().toLowerCase(Locale.ROOT),
					list.size(), list.stream().mapToLong((f) -> errorsDuring(f, result.timeline())).sum(),
					list.stream().anyMatch((f) -> recovery(f, result.timeline()).isEmpty()) ? "never" : shown(
							list.stream().mapToDouble((f) -> recovery(f, result.timeline()).orElseThrow()).max()))));
		md.append("\n## Invariants\n\n| invariant | holds | detail |\n|---|---|---|\n");
		for (InvariantCheck check : invariants) {
			md.append("| %s | %s | %s |%n".formatted(check.name(), check.holds() ? "yes" : "**NO**", check.detail()));
		}
		md.append(
				"\n## Second by second (seconds with an error or a fault)\n\n| s | answered | errors | p50 ms | p99 ms |\n");
		md.append("|---:|---:|---:|---:|---:|\n");
		for (WorkloadResult.Second second : result.timeline()) {
			boolean duringFault = faults.stream()
				.anyMatch((f) -> second.second() >= (int) f.startedAt() && second.second() <= (int) f.endedAt() + 1);
			if (second.errors() > 0 || duringFault) {
				md.append("| %d | %d | %d | %.1f | %.1f |%n".formatted(second.second(), second.completed(),
						second.errors(), second.p50Ms(), second.p99Ms()));
			}
		}
		return md.toString();
	}

	/**
	 * {@code chaos.html}: the same run as {@link #markdown}, with its timeline drawn: the
	 * faults laid over throughput, errors and latency per second.
	 */
	static String html(Chaos run, List<Chaos.Injected> faults, WorkloadResult result, List<InvariantCheck> invariants) {
		boolean holds = invariants.stream().allMatch(InvariantCheck::holds);
		StringBuilder html = new StringBuilder(
				"""
						<!DOCTYPE html>
						<html lang="en"><head><meta charset="utf-8"><title>Chaos</title>
						<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
						td,th{border:1px solid #ccc;padding:3px 8px}td.num{text-align:right}.no{color:#d62728;font-weight:bold}</style>
						</head><body>
						""");
		html.append("<h1>Chaos on <code>%s</code>: invariants %s</h1>%n".formatted(Html.escape(run.preset().name()),
				holds ? "hold" : "<span class=\"no\">FAILED</span>"));
		html.append("<p>Seed %d, %d s at %.0f requests/s: %d sent, %d answered, %d client-visible errors.</p>%n"
			.formatted(run.seed(), run.duration().toSeconds(), run.rate(), result.sent(), result.completed(),
					result.errors()));
		List<FaultTimeline.Band> bands = faults.stream()
			.map((fault) -> new FaultTimeline.Band(fault.startedAt(), fault.endedAt(),
					fault.kind().name().toLowerCase(Locale.ROOT) + " " + fault.target()))
			.toList();
		html.append(FaultTimeline.svg(result.timeline(), bands));
		html.append("<h2>Faults</h2>\n<table><tr><th>at (s)</th><th>kind</th><th>target</th><th>back after (s)</th>"
				+ "<th>recovered after (s)</th><th>errors</th></tr>\n");
		for (Chaos.Injected fault : faults) {
			html.append("<tr><td class=\"num\">%.1f</td><td>%s</td><td>%s</td><td class=\"num\">%.1f</td>".formatted(
					fault.startedAt(), fault.kind().name().toLowerCase(Locale.ROOT), Html.escape(fault.target()),
					fault.endedAt() - fault.startedAt()));
			html.append("<td class=\"num\">%s</td><td class=\"num\">%d</td></tr>%n"
				.formatted(shown(recovery(fault, result.timeline())), errorsDuring(fault, result.timeline())));
		}
		html.append("</table>\n<h2>Invariants</h2>\n<table><tr><th>invariant</th><th>holds</th><th>detail</th></tr>\n");
		for (InvariantCheck check : invariants) {
			html.append("<tr><td>%s</td><td%s>%s</td><td>%s</td></tr>%n".formatted(Html.escape(check.name()),
					check.holds() ? "" : " class=\"no\"", check.holds() ? "yes" : "NO", Html.escape(check.detail())));
		}
		return html.append("</table>\n</body></html>\n").toString();
	}

	private static String shown(OptionalDouble seconds) {
		return seconds.isPresent() ? String.format(Locale.ROOT, "%.0f", seconds.getAsDouble()) : "never";
	}

	/**
	 * @return seconds from the fault's start until its target was back and no request
	 * failed for {@link #QUIET_SECONDS} in a row; empty if that never happened in the run
	 */
	static OptionalDouble recovery(Chaos.Injected fault, List<WorkloadResult.Second> timeline) {
		int quiet = 0;
		for (WorkloadResult.Second second : timeline) {
			if (second.second() < (int) Math.ceil(fault.endedAt())) {
				continue;
			}
			quiet = (second.errors() == 0) ? quiet + 1 : 0;
			if (quiet == QUIET_SECONDS) {
				return OptionalDouble.of(Math.max(0, second.second() - QUIET_SECONDS + 1 - fault.startedAt()));
			}
		}
		return OptionalDouble.empty();
	}

	/** Client-visible errors from the fault's start until it recovered. */
	static long errorsDuring(Chaos.Injected fault, List<WorkloadResult.Second> timeline) {
		double until = fault.startedAt() + recovery(fault, timeline).orElse(Double.MAX_VALUE);
		return timeline.stream()
			.filter((s) -> s.second() >= (int) fault.startedAt() && s.second() < until)
			.mapToLong(WorkloadResult.Second::errors)
			.sum();
	}

}
