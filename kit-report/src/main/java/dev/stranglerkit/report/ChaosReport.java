package dev.stranglerkit.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code ./kit chaos}'s report, {@code chaos.md}, and {@code chaos.html} with the
 * timeline drawn: the faults with how long the landscape took to recover from each (the
 * target back, and no client-visible error for three seconds in a row), the workload's
 * errors second by second around them, and the invariants.
 */
public final class ChaosReport {

	/** How many error-free seconds in a row count as recovered. */
	static final int QUIET_SECONDS = 3;

	private ChaosReport() {
	}

	/**
	 * Writes {@code chaos.md} and {@code chaos.html} into the directory (made if
	 * missing).
	 */
	public static void write(ChaosRun run, Path directory) throws IOException {
		Page page = page(run);
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("chaos.md"), Templates.render("chaos.md.mustache", page),
				StandardCharsets.UTF_8);
		Files.writeString(directory.resolve("chaos.html"), Templates.render("chaos.html.mustache", page),
				StandardCharsets.UTF_8);
	}

	static Page page(ChaosRun run) {
		List<WorkloadResult.Second> timeline = run.result().timeline();
		List<FaultRow> faults = run.faults()
			.stream()
			.map((fault) -> new FaultRow(decimal(fault.startedAt()), fault.kind(), fault.target(),
					decimal(fault.endedAt() - fault.startedAt()), shown(recovery(fault, timeline)),
					errorsDuring(fault, timeline)))
			.toList();
		Map<String, List<ChaosRun.Fault>> byKind = new LinkedHashMap<>();
		run.kinds().forEach((kind) -> byKind.put(kind, new ArrayList<>()));
		run.faults().forEach((fault) -> byKind.computeIfAbsent(fault.kind(), (kind) -> new ArrayList<>()).add(fault));
		List<KindRow> kinds = new ArrayList<>();
		byKind.forEach((kind, list) -> {
			if (!list.isEmpty()) {
				boolean never = list.stream().anyMatch((fault) -> recovery(fault, timeline).isEmpty());
				kinds.add(new KindRow(kind, list.size(),
						list.stream().mapToLong((fault) -> errorsDuring(fault, timeline)).sum(),
						never ? "never" : shown(
								list.stream().mapToDouble((fault) -> recovery(fault, timeline).orElseThrow()).max())));
			}
		});
		List<SecondRow> seconds = timeline.stream()
			.filter((second) -> second.errors() > 0 || run.faults()
				.stream()
				.anyMatch((fault) -> second.second() >= (int) fault.startedAt()
						&& second.second() <= (int) fault.endedAt() + 1))
			.map((second) -> new SecondRow(second.second(), second.completed(), second.errors(),
					decimal(second.p50Ms()), decimal(second.p99Ms())))
			.toList();
		List<FaultTimeline.Band> bands = run.faults()
			.stream()
			.map((fault) -> new FaultTimeline.Band(fault.startedAt(), fault.endedAt(),
					fault.kind() + " " + fault.target()))
			.toList();
		return new Page(run, run.invariants().stream().allMatch(InvariantCheck::holds), faults, kinds, seconds,
				FaultTimeline.svg(timeline, bands));
	}

	private static String shown(OptionalDouble seconds) {
		return seconds.isPresent() ? String.format(Locale.ROOT, "%.0f", seconds.getAsDouble()) : "never";
	}

	private static String decimal(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/**
	 * @return seconds from the fault's start until its target was back and no request
	 * failed for {@link #QUIET_SECONDS} in a row; empty if that never happened in the run
	 */
	static OptionalDouble recovery(ChaosRun.Fault fault, List<WorkloadResult.Second> timeline) {
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
	static long errorsDuring(ChaosRun.Fault fault, List<WorkloadResult.Second> timeline) {
		double until = fault.startedAt() + recovery(fault, timeline).orElse(Double.MAX_VALUE);
		return timeline.stream()
			.filter((s) -> s.second() >= (int) fault.startedAt() && s.second() < until)
			.mapToLong(WorkloadResult.Second::errors)
			.sum();
	}

	/**
	 * What the templates show.
	 *
	 * @param holds whether every invariant holds
	 * @param seconds the seconds with an error or a fault
	 * @param timeline the faults drawn over the seconds, inline SVG
	 */
	record Page(ChaosRun run, boolean holds, List<FaultRow> faults, List<KindRow> kinds, List<SecondRow> seconds,
			String timeline) {

		long durationSeconds() {
			return this.run.duration().toSeconds();
		}

		String rate() {
			return String.format(Locale.ROOT, "%.0f", this.run.rate());
		}

		/** the kinds as {@code --faults} takes them */
		String faultsOption() {
			return String.join(",", this.run.kinds());
		}

	}

	record FaultRow(String at, String kind, String target, String backAfter, String recoveredAfter, long errors) {
	}

	record KindRow(String kind, int injected, long errors, String longestRecovery) {
	}

	record SecondRow(int second, long completed, long errors, String p50Ms, String p99Ms) {
	}

}
