package dev.stranglerkit.report;

/**
 * What one process of a deployment costs: splitting a monolith buys independence with
 * more processes, memory and start-up time, and the report puts a number on it.
 *
 * @param app the application's name
 * @param pid its process id
 * @param rssBytes its resident memory at the end of the run
 * @param cpuSeconds the CPU time it used
 * @param startUpSeconds how long it took to become ready
 */
public record Footprint(String app, long pid, long rssBytes, double cpuSeconds, double startUpSeconds) {

}
