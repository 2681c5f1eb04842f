package dev.stranglerkit.launcher;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;

/**
 * Brings the landscape to a {@link Preset}: {@code ./kit up before},
 * {@code ./kit up after}, {@code ./kit up step-5}. The routes and owners go through
 * config-repo (the same moves as {@code ./kit route} and {@code ./kit cutover}, each
 * cutover confirmed by both sides when they run), and the order keeps every order safe:
 * the applications the preset adds start first, then ownership moves, and only once the
 * handoff has passed and the events in flight are settled do the applications it drops
 * stop, so that nothing is owned by a stopped process.
 */
public final class Deployment {

	/**
	 * after a handoff, time for the events of the orders placed just before it to settle
	 */
	static final Duration SETTLE = Duration.ofSeconds(3);

	private final Landscape landscape;

	private final Launcher launcher;

	private final Consumer<String> out;

	private final URI gateway;

	private final String adminCredentials;

	public Deployment(Landscape landscape, Launcher launcher, Consumer<String> out, URI gateway,
			String adminCredentials) {
		this.landscape = landscape;
		this.launcher = launcher;
		this.out = out;
		this.gateway = gateway;
		this.adminCredentials = adminCredentials;
	}

	/**
	 * @return the seconds each started application took to become healthy
	 */
	public Map<String, Double> apply(Preset preset) {
		this.out.accept("preset " + preset.name() + ": " + preset.description());
		List<App> apps = preset.apps().stream().map(this.landscape::app).toList();
		boolean anyRunning = Landscape.PORTS.keySet()
			.stream()
			.anyMatch((name) -> this.launcher.running(name).isPresent());
		if (!anyRunning) {
			// nothing runs that could own an event: write the control plane, then start
			moveModules(preset, false, false);
			return this.launcher.up(Landscape.tiers(apps));
		}
		Map<String, Double> took = this.launcher.up(Landscape.tiers(apps));
		Instant handoff = moveModules(preset, true, this.launcher.running(Landscape.GATEWAY).isPresent());
		List<String> dropped = Landscape.PORTS.keySet()
			.stream()
			.filter((name) -> !preset.apps().contains(name) && this.launcher.running(name).isPresent())
			.toList();
		if (handoff != null && !dropped.isEmpty()) {
			Duration wait = Duration.between(Instant.now(), handoff).plus(SETTLE);
			this.out.accept("waiting %.0f s for the handoff and the events in flight before stopping %s"
				.formatted(Math.max(0, wait.toMillis()) / 1000.0, String.join(", ", dropped)));
			Launcher.sleep(wait);
		}
		for (String name : dropped) {
			// its further instances too (./kit scale)
			for (String id : this.launcher.allInstances(name).reversed()) {
				this.launcher.stop(id);
				this.out.accept("stopped " + id + " (not part of the preset)");
			}
		}
		return took;
	}

	/**
	 * Moves each module to the preset's owner (a cutover) and its route to that owner's
	 * mode, where they are not there yet.
	 * @param confirm whether the applications run: then each cutover waits for both sides
	 * to confirm its handoff (and is undone and fails when one does not); else it is only
	 * written, and each application reads it when it starts
	 * @param awaitGateway whether to wait for the gateway to apply each route
	 * @return the latest handoff written, or null when every owner was right already
	 */
	private Instant moveModules(Preset preset, boolean confirm, boolean awaitGateway) {
		Cutover cutover = new Cutover(this.landscape.configRepo(), this.out);
		Routes routes = new Routes();
		java.nio.file.Path gatewayYml = this.landscape.configRepo().resolve("gateway.yml");
		Instant latest = null;
		for (Map.Entry<String, Owner> module : new java.util.TreeMap<>(preset.owners()).entrySet()) {
			String route = module.getKey();
			Owner owner = module.getValue();
			// (a module's route carries the module's name, and sends to its owner in the
			// owner's route mode)
			Mode mode = owner.routeMode();
			if (cutover.owner(route) != owner && confirm) {
				// confirmed by both sides, or undone and failed (it reports either)
				latest = cutover.move(route, owner);
			}
			else if (cutover.owner(route) != owner) {
				// nothing runs yet that could confirm: each reads the move when it starts
				latest = cutover.write(route, owner);
				this.out.accept("config-repo: %s owned by the %s from %s, route %s -> %s".formatted(route, owner,
						latest, route, owner));
			}
			else if (routes.mode(gatewayYml, route) != mode) {
				routes.switchRoute(this.landscape.configRepo(), route, mode, null, owner);
				this.out.accept("config-repo/gateway.yml: %s -> %s".formatted(route, mode));
			}
			else {
				continue;
			}
			if (awaitGateway) {
				// every gateway instance (./kit scale gateway)
				List<URI> gateways = this.launcher.instances(Landscape.GATEWAY).isEmpty() ? List.of(this.gateway)
						: this.launcher.urls(Landscape.GATEWAY);
				routes.awaitAppliedBy(gateways, this.adminCredentials, route, mode, null, Duration.ofSeconds(15));
			}
		}
		return latest;
	}

}
