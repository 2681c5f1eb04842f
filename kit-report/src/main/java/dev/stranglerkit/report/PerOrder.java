package dev.stranglerkit.report;

/**
 * What the landscape did per order placed during a run (its warm-up and measured
 * workload, until every saga ended and every outbox drained), from PostgreSQL's own
 * counters: the price of a style of saga or of a deployment, beside its latency.
 *
 * @param orders the orders placed
 * @param messages event publications per order: each delivery of an event or a command to
 * a listener in its process or to RabbitMQ (Spring Modulith's registry, every database of
 * the landscape)
 * @param brokerMessages of those, the ones sent to RabbitMQ
 * @param databaseWrites rows inserted, updated or deleted per order, in every database of
 * the landscape ({@code pg_stat_database}), the outbox's own rows included
 */
public record PerOrder(long orders, double messages, double brokerMessages, double databaseWrites) {
}
