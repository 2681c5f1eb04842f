package dev.stranglerkit.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.control.RouteFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./kit route}: changes a strangler route's mode (and canary percent) in
 * {@code config-repo/gateway.yml}, the single source of truth, keeping the file's
 * comments and layout (kit-control's {@link RouteFile}, which the migration console uses
 * too). The config server sees the change and the bus carries it to every gateway;
 * {@link #awaitApplied} waits until a gateway reports it.
 */
public final class Routes {

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * {@code ./kit route}: switches the route and appends the switch to
	 * {@code config-repo/audit.log} under the OS user, {@code via cli}.
	 * @param mode the mode as the user named it
	 * @return the mode switched to
	 */
	public Mode switchRoute(Path configRepo, String route, String mode, Integer percent) {
		Mode switched = LaunchException.fromControlPlane(() -> Mode.parse(mode));
		switchRoute(configRepo, route, switched, percent, null);
		return switched;
	}

	/**
	 * The presets of {@code ./kit up}, where a module's owner is right but its route is
	 * not: switches the route and who takes its writes, recorded in
	 * {@code config-repo/audit.log} as
	 * {@link #switchRoute(Path, String, String, Integer)} does.
	 * @param owner who takes the route's writes, or {@code null} to leave it as it is
	 */
	public void switchRoute(Path configRepo, String route, Mode mode, Integer percent, Owner owner) {
		LaunchException.fromControlPlane(() -> new ConfigRepo(configRepo).switchRoute(route, mode, percent, owner,
				System.getProperty("user.name"), "cli"));
	}

	/**
	 * @return the route's mode as the file has it
	 */
	public Mode mode(Path gatewayYml, String route) {
		return LaunchException.fromControlPlane(() -> new RouteFile(gatewayYml).mode(route));
	}

	/**
	 * Waits until the gateway's {@code /actuator/strangler} reports the route's mode and
	 * percent.
	 * @return how long it took
	 */
	public Duration awaitApplied(URI gateway, String credentials, String route, Mode mode, Integer percent,
			Duration timeout) {
		long start = System.nanoTime();
		Poll.await(timeout, Duration.ofMillis(50), () -> {
			JsonNode state = current(gateway, credentials, route);
			return state != null && state.path("mode").asString("").equalsIgnoreCase(mode.value())
					&& (percent == null || state.path("canaryPercent").asInt(-1) == percent);
		}, () -> "the gateway at " + gateway + " did not apply " + route + " -> " + mode + " within "
				+ timeout.toSeconds() + " s: is the config server running, and RabbitMQ (the bus)? "
				+ "See ./kit logs config-server and ./kit logs gateway");
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/**
	 * Waits until every gateway applies the route, each watched on a thread of its own
	 * from the same instant: several gateways ({@code ./kit scale gateway 2}) each take
	 * the switch from the bus.
	 * @return each gateway's time until it reported the route, in the order given
	 * @throws LaunchException naming the first gateway that did not apply it in time
	 */
	public Map<URI, Duration> awaitAppliedBy(List<URI> gateways, String credentials, String route, Mode mode,
			Integer percent, Duration timeout) {
		Map<URI, CompletableFuture<Duration>> watches = new LinkedHashMap<>();
		gateways.forEach((gateway) -> watches.put(gateway, CompletableFuture.supplyAsync(
				() -> awaitApplied(gateway, credentials, route, mode, percent, timeout), Thread::startVirtualThread)));
		Map<URI, Duration> took = new LinkedHashMap<>();
		watches.forEach((gateway, watch) -> {
			try {
				took.put(gateway, watch.join());
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		});
		return took;
	}

	/**
	 * @return the route as the gateway has it, or null when the gateway does not answer
	 */
	public JsonNode current(URI gateway, String credentials, String route) {
		return Http.get(gateway.resolve("/actuator/strangler"), credentials)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> this.json.readTree(response.body()).path("routes").path(route))
			.orElse(null);
	}

}
