package dev.stranglerkit.control;

/**
 * A strangler route as {@code config-repo/gateway.yml} says it.
 *
 * @param name the route's name (the module whose paths it carries)
 * @param mode where it sends its requests
 * @param canaryPercent the canary percent, or {@code null} when the file has none
 * @param owner who takes the route's writes, or {@code null} when the file has none
 */
public record Route(String name, Mode mode, Integer canaryPercent, Owner owner) {

}
