/**
 * The control plane's writes to {@code config-repo/}: a strangler route's mode and canary
 * percent in {@code gateway.yml}, a module's handoffs in {@code application.yml} (a
 * {@link dev.stranglerkit.control.Cutover}, confirmed by both sides), and the audit trail
 * of who changed what and when; and the replay of dead-lettered messages. Plain Java, so
 * that {@code ./kit} and the migration console share one implementation.
 */
package dev.stranglerkit.control;
