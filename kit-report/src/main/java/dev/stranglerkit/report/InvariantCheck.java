package dev.stranglerkit.report;

/**
 * A business rule checked in a deployment's data after the run (say, no order left
 * {@code PENDING}): latency figures mean nothing if the deployment lost or broke orders
 * to get them.
 *
 * @param name what is checked
 * @param holds whether it holds
 * @param detail the counts behind the verdict, e.g. {@code 0 of 1,204 orders PENDING}
 */
public record InvariantCheck(String name, boolean holds, String detail) {

}
