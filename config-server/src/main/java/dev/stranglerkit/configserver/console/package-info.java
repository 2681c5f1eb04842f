/**
 * The migration console, {@code /console}: a web page of the control plane that shows
 * each strangler route (its mode as config-repo says it and as the gateway applies it,
 * the live split of traffic, errors, latency, shadow mismatches), the registry's
 * instances and every application's outbox, and switches a route through config-repo like
 * {@code ./kit route}, recording who did it in {@code config-repo/audit.log}.
 * <p>
 * It lives in the config server because the config server is the control plane: it owns
 * config-repo, the single source of truth that the console writes, and its folder monitor
 * and Spring Cloud Bus already carry a changed file to every gateway. A console in the
 * gateway would have to write a folder it does not own, once per gateway instance.
 */
package dev.stranglerkit.configserver.console;
