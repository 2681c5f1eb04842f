package dev.stranglerkit.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The strangler routes and their modes ({@code strangler.*} in
 * {@code config-repo/gateway.yml}). Bound afresh, as an immutable snapshot, on every
 * configuration refresh; a snapshot that fails {@link #validate()} is refused and the
 * routes keep their last good state.
 *
 * @param routes the strangler routes by name (named after the module whose paths they
 * carry)
 * @param canary how a canary picks the key that keeps one user on one side
 * @param shadow how shadow traffic is sent and compared
 * @param maxBodySize request bodies above this are refused with 413
 */
public record StranglerProperties(@DefaultValue Map<String, Route> routes, @DefaultValue Canary canary,
		@DefaultValue Shadow shadow, @DefaultValue("1MB") DataSize maxBodySize) {

	/**
	 * One strangler route.
	 *
	 * @param paths the path patterns it carries ({@code /api/inventory/**})
	 * @param monolith the monolith's target, through the registry ({@code lb://monolith})
	 * @param service the extracted service's target ({@code lb://inventory-service}), if
	 * any
	 * @param mode the migration mode
	 * @param canaryPercent the share of reads sent to the service in canary mode (0-100)
	 * @param owner who takes writes in shadow and canary mode
	 * @param monolithHasModule whether the monolith still has the module: in service mode
	 * a failing service or an open circuit then falls back to the monolith
	 * @param shadowIgnoredFields JSON fields left out when comparing shadow responses (at
	 * any depth)
	 */
	public record Route(@DefaultValue List<String> paths, @Nullable URI monolith, @Nullable URI service,
			@DefaultValue("monolith") Mode mode, @DefaultValue("0") int canaryPercent,
			@DefaultValue("monolith") Owner owner, @DefaultValue("true") boolean monolithHasModule,
			@DefaultValue List<String> shadowIgnoredFields) {

		/**
		 * @return whether the monolith can serve this route at all
		 */
		boolean monolithAvailable() {
			return this.monolith != null && this.monolithHasModule;
		}

	}

	/**
	 * @param header the request header that carries the canary key
	 * @param cookie the cookie that carries it when the header is absent (else the client
	 * address is the key)
	 */
	public record Canary(@DefaultValue("X-Canary-Key") String header, @DefaultValue("canary-key") String cookie) {
	}

	/**
	 * @param timeout how long a shadow request may take before it counts as an error
	 * @param maxInFlight shadow requests beyond this many at once are skipped (and
	 * counted)
	 * @param maxBodySize responses larger than this are not compared
	 * @param keepMismatches how many recent mismatches are kept for inspection
	 */
	public record Shadow(@DefaultValue("5s") Duration timeout, @DefaultValue("64") int maxInFlight,
			@DefaultValue("256KB") DataSize maxBodySize, @DefaultValue("50") int keepMismatches) {
	}

	/**
	 * @return what is wrong with these routes, empty when they can be applied
	 */
	List<String> validate() {
		List<String> problems = new ArrayList<>();
		this.routes.forEach((name, route) -> {
			if (route.paths().isEmpty()) {
				problems.add("route '%s' has no paths".formatted(name));
			}
			if (route.canaryPercent() < 0 || route.canaryPercent() > 100) {
				problems.add("route '%s' has canary-percent %d, outside 0-100".formatted(name, route.canaryPercent()));
			}
			if (route.monolith() == null && route.service() == null) {
				problems.add("route '%s' has neither a monolith nor a service target".formatted(name));
			}
			if (route.mode() != Mode.MONOLITH && route.service() == null) {
				problems
					.add("route '%s' is in %s mode but has no service target".formatted(name, route.mode().value()));
			}
			if (route.mode() != Mode.SERVICE && route.monolith() == null) {
				problems
					.add("route '%s' is in %s mode but has no monolith target".formatted(name, route.mode().value()));
			}
		});
		return problems;
	}

}
