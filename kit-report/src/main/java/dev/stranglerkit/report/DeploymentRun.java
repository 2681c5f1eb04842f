package dev.stranglerkit.report;

import java.util.List;

/**
 * One deployment (e.g. the monolith alone, or with inventory extracted) under the
 * workload: what the report puts in one column.
 *
 * @param name a short name, the column's header
 * @param description what the deployment is
 * @param workload what the load generator measured, or null when it did not run
 * @param processes the deployment's processes
 * @param startUpSeconds how long the whole deployment took to become ready
 * @param sagaCompletion from an order's creation to its final state, or null when not
 * measured
 * @param eventLag from an event's publication to its consumption, or null when not
 * measured
 * @param perOrder messages and database writes per order, or null when not measured
 * @param invariants the business rules checked after the run
 */
public record DeploymentRun(String name, String description, WorkloadResult workload, List<Footprint> processes,
		double startUpSeconds, Summary sagaCompletion, Summary eventLag, PerOrder perOrder,
		List<InvariantCheck> invariants) {

	public DeploymentRun {
		processes = (processes != null) ? List.copyOf(processes) : List.of();
		invariants = (invariants != null) ? List.copyOf(invariants) : List.of();
	}

	/**
	 * @return whether every invariant holds
	 */
	public boolean invariantsHold() {
		return this.invariants.stream().allMatch(InvariantCheck::holds);
	}

}
