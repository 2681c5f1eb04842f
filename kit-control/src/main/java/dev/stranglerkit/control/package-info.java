/**
 * The control plane's writes to {@code config-repo/}: a strangler route's mode and canary
 * percent in {@code gateway.yml}, and the audit trail of who switched what and when; and
 * the replay of dead-lettered messages. Plain Java, so that {@code ./kit} and the
 * migration console share one implementation.
 */
package dev.stranglerkit.control;
