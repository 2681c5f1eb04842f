package dev.stranglerkit.k8s;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The routes of {@code config-repo/gateway.yml} as a data plane other than the kit's
 * gateway needs them: each strangler route's paths, targets, mode, canary percent and
 * owner, and the plain routes beside them (the API documents). The same file, the one
 * desired state, that the kit's gateway binds ({@code StranglerProperties}).
 *
 * @param strangler the strangler routes, in the file's order
 * @param plain the plain routes, in the file's order
 */
public record GatewayRoutes(List<StranglerRoute> strangler, List<PlainRoute> plain) {

	/**
	 * A strangler route.
	 *
	 * @param name its name (the module whose paths it carries)
	 * @param paths its path patterns ({@code /api/inventory/**})
	 * @param monolith the monolith's host ({@code lb://monolith}: {@code monolith})
	 * @param service the service's host, or {@code null} for a route with no service yet
	 * @param mode where it sends its requests
	 * @param canaryPercent the share of reads to the service in canary mode
	 * @param owner who takes the writes in shadow and canary mode
	 */
	public record StranglerRoute(String name, List<String> paths, String monolith, String service, Mode mode,
			int canaryPercent, Owner owner) {

		/**
		 * @return the host that takes the route's writes (shadow, canary)
		 */
		public String writeTarget() {
			return (this.owner == Owner.SERVICE && this.service != null) ? this.service : this.monolith;
		}

	}

	/**
	 * A plain route: every request on its paths to one host.
	 *
	 * @param id its id
	 * @param host its target's host
	 * @param paths its path patterns
	 */
	public record PlainRoute(String id, String host, List<String> paths) {

	}

	public static GatewayRoutes read(Path gatewayYml) {
		Map<String, Object> document;
		try (Reader reader = Files.newBufferedReader(gatewayYml)) {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		catch (IOException ex) {
			throw new K8sException("cannot read " + gatewayYml + ": " + ex.getMessage());
		}
		List<StranglerRoute> strangler = new ArrayList<>();
		map(map(document, "strangler"), "routes").forEach((name, value) -> {
			Map<String, Object> route = cast(value);
			Mode mode = Mode.of(String.valueOf(route.get("mode")))
				.orElseThrow(() -> new K8sException(
						gatewayYml + ": route " + name + " has no mode of monolith, shadow, canary or service"));
			Object percent = route.getOrDefault("canary-percent", 0);
			Owner owner = "service".equals(route.get("owner")) ? Owner.SERVICE : Owner.MONOLITH;
			strangler.add(new StranglerRoute(name, strings(route.get("paths")), host(route.get("monolith")),
					(route.get("service") != null) ? host(route.get("service")) : null, mode,
					Integer.parseInt(String.valueOf(percent)), owner));
		});
		List<PlainRoute> plain = new ArrayList<>();
		Object routes = map(map(map(map(map(document, "spring"), "cloud"), "gateway"), "server"), "webflux")
			.get("routes");
		for (Object value : (routes instanceof List<?> list) ? list : List.of()) {
			Map<String, Object> route = cast(value);
			List<String> paths = new ArrayList<>();
			for (String predicate : strings(route.get("predicates"))) {
				if (predicate.startsWith("Path=")) {
					paths.addAll(List.of(predicate.substring("Path=".length()).split(",")));
				}
			}
			plain.add(new PlainRoute(String.valueOf(route.get("id")), host(route.get("uri")), paths));
		}
		return new GatewayRoutes(List.copyOf(strangler), List.copyOf(plain));
	}

	/**
	 * @return every host a route sends requests to, in the order the file first names
	 * them
	 */
	public List<String> hosts() {
		List<String> hosts = new ArrayList<>();
		for (StranglerRoute route : this.strangler) {
			addOnce(hosts, route.monolith());
			if (route.service() != null) {
				addOnce(hosts, route.service());
			}
		}
		this.plain.forEach((route) -> addOnce(hosts, route.host()));
		return hosts;
	}

	private static void addOnce(List<String> hosts, String host) {
		if (!hosts.contains(host)) {
			hosts.add(host);
		}
	}

	private static String host(Object uri) {
		URI parsed = URI.create(String.valueOf(uri));
		return (parsed.getHost() != null) ? parsed.getHost() : String.valueOf(uri);
	}

	private static Map<String, Object> map(Map<String, Object> map, String key) {
		Object value = (map != null) ? map.get(key) : null;
		return (value instanceof Map<?, ?>) ? cast(value) : Map.of();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Object value) {
		return (Map<String, Object>) value;
	}

	private static List<String> strings(Object value) {
		return (value instanceof List<?> list) ? list.stream().map(String::valueOf).toList() : List.of();
	}

}
