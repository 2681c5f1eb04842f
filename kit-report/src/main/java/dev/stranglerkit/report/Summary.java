package dev.stranglerkit.report;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.AbstractHistogram;

/**
 * A distribution of durations in a few figures (milliseconds), for what the report shows
 * without a chart: saga completion times and event lags.
 */
public record Summary(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

	/**
	 * @param histogram durations in microseconds, as {@link WorkloadResult} records them
	 */
	public static Summary of(AbstractHistogram histogram) {
		return of(histogram, TimeUnit.MICROSECONDS);
	}

	/**
	 * @param unit the unit of the histogram's values
	 */
	public static Summary of(AbstractHistogram histogram, TimeUnit unit) {
		if (histogram.getTotalCount() == 0) {
			return new Summary(0, 0, 0, 0, 0);
		}
		double toMs = unit.toNanos(1) / 1e6;
		return new Summary(histogram.getTotalCount(), histogram.getValueAtPercentile(50) * toMs,
				histogram.getValueAtPercentile(90) * toMs, histogram.getValueAtPercentile(99) * toMs,
				histogram.getMaxValue() * toMs);
	}

}
