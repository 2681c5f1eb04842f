package dev.stranglerkit.report;

import java.time.Duration;
import java.util.List;

/**
 * A chaos run, what its report shows: the faults injected under a workload, what the
 * workload measured, and the invariants checked afterwards.
 *
 * @param preset the deployment's name
 * @param seed what the random choices started from: the same seed repeats the run
 * @param duration how long faults were injected under the workload
 * @param rate the workload's requests per second
 * @param kinds the fault kinds asked for, in the order the report lists them
 * @param faults the faults, in the order they were injected
 * @param result what the workload measured
 * @param invariants the business rules checked after the run
 */
public record ChaosRun(String preset, long seed, Duration duration, double rate, List<String> kinds, List<Fault> faults,
		WorkloadResult result, List<InvariantCheck> invariants) {

	public ChaosRun {
		kinds = List.copyOf(kinds);
		faults = List.copyOf(faults);
		invariants = List.copyOf(invariants);
	}

	/**
	 * One fault, in seconds since the workload started.
	 *
	 * @param kind one of the run's kinds
	 * @param target what it hit, e.g. an application or {@code postgresql}
	 * @param startedAt when it began
	 * @param endedAt when its target was back
	 */
	public record Fault(String kind, String target, double startedAt, double endedAt) {
	}

}
