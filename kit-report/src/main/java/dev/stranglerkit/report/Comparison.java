package dev.stranglerkit.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Deployments run under the same workload, side by side: normally "before" and "after" an
 * extraction, but any number of them.
 *
 * @param title the report's heading
 * @param ratePerSecond the workload's arrival rate
 * @param duration how long the workload ran per deployment
 * @param when when the comparison ran
 * @param runs the deployments, in the order of the report's columns
 */
public record Comparison(String title, double ratePerSecond, Duration duration, Instant when,
		List<DeploymentRun> runs) {

	public Comparison {
		runs = List.copyOf(runs);
		if (runs.isEmpty()) {
			throw new IllegalArgumentException("a comparison needs at least one deployment");
		}
	}

}
