package dev.stranglerkit.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.k8s.GatewayRoutes.PlainRoute;
import dev.stranglerkit.k8s.GatewayRoutes.StranglerRoute;

/**
 * The strangler routes as Istio resources: what the kit's gateway does with a route's
 * mode, done by the mesh's proxies instead. One VirtualService on the ingress gateway
 * ({@code strangler}, mesh.yaml) with, per strangler route, its reads (GET, HEAD) and its
 * writes apart, and one DestinationRule per target host.
 * <ul>
 * <li>{@code monolith}: reads and writes to the monolith;</li>
 * <li>{@code shadow}: reads to the monolith and mirrored to the service (its answers are
 * dropped: the mesh does not compare them as the kit's gateway does), writes to the
 * owner;</li>
 * <li>{@code canary}: reads split by weight, the canary percent to the service; writes to
 * the owner;</li>
 * <li>{@code service}: reads and writes to the service (no fallback to the monolith: the
 * mesh ejects failing pods, it does not send a request elsewhere).</li>
 * </ul>
 * Reads are retried (safe methods: twice, each try with the kit gateway's 5 s response
 * timeout), writes never (one try of 5 s). The DestinationRules carry what the kit's load
 * balancer does: a pod whose connection fails ejected at once ({@code Ejections}: 20 s
 * the first time; Envoy lengthens it with each ejection), the connect timeout and idle
 * time of the gateway's client, and a consistent hash on the canary key so that one key
 * stays on one pod of a side (the kit also reads a cookie and the client's address). The
 * mesh's weighted split is drawn per request, not per key as the kit's canary is
 * (deploy/k8s/README.md).
 */
public final class IstioRoutes {

	static final String CANARY_KEY = "X-Canary-Key";

	private static final String SAFE_METHODS = "GET|HEAD";

	/** a read's: two tries of the kit gateway's 5 s response timeout */
	private static final String READS_TIMEOUT = "10s";

	private IstioRoutes() {
	}

	/**
	 * @return the VirtualService and the DestinationRules, as Kubernetes objects
	 */
	public static List<Map<String, Object>> resources(GatewayRoutes routes) {
		List<Map<String, Object>> resources = new ArrayList<>();
		resources.add(virtualService(routes));
		routes.hosts().forEach((host) -> resources.add(destinationRule(host)));
		return resources;
	}

	static Map<String, Object> virtualService(GatewayRoutes routes) {
		List<Object> http = new ArrayList<>();
		for (StranglerRoute route : routes.strangler()) {
			http.add(reads(route));
			http.add(writes(route));
		}
		for (PlainRoute route : routes.plain()) {
			http.add(map("name", route.id(), "match", route.paths().stream().map(IstioRoutes::uri).toList(), "route",
					List.of(destination(route.host(), null)), "retries", retries(true), "timeout", READS_TIMEOUT));
		}
		return object("networking.istio.io/v1", "VirtualService", "strangler",
				map("hosts", List.of("*"), "gateways", List.of("strangler"), "http", http));
	}

	private static Map<String, Object> reads(StranglerRoute route) {
		List<Object> match = route.paths()
			.stream()
			.map((path) -> (Object) map("uri", uri(path).get("uri"), "method", map("regex", SAFE_METHODS)))
			.toList();
		Map<String, Object> reads = map("name", route.name() + "-reads", "match", match);
		switch (route.mode()) {
			case MONOLITH -> reads.put("route", List.of(destination(route.monolith(), null)));
			case SHADOW -> {
				reads.put("route", List.of(destination(route.monolith(), null)));
				reads.put("mirror", map("host", service(route)));
				reads.put("mirrorPercentage", map("value", 100.0));
			}
			case CANARY -> reads.put("route", List.of(destination(route.monolith(), 100 - route.canaryPercent()),
					destination(service(route), route.canaryPercent())));
			case SERVICE -> reads.put("route", List.of(destination(service(route), null)));
		}
		reads.put("retries", retries(true));
		reads.put("timeout", READS_TIMEOUT);
		return reads;
	}

	private static Map<String, Object> writes(StranglerRoute route) {
		String target = switch (route.mode()) {
			case MONOLITH -> route.monolith();
			case SHADOW, CANARY -> route.writeTarget();
			case SERVICE -> service(route);
		};
		return map("name", route.name() + "-writes", "match", route.paths().stream().map(IstioRoutes::uri).toList(),
				"route", List.of(destination(target, null)), "retries", retries(false), "timeout", "5s");
	}

	private static String service(StranglerRoute route) {
		if (route.service() == null) {
			throw new K8sException(
					"route " + route.name() + " is in " + route.mode().value() + " mode but names no service");
		}
		return route.service();
	}

	static Map<String, Object> destinationRule(String host) {
		// ejected for what the kit ejects for, a failed connection, never for an answer:
		// a 503 can be the application's own (an ownership decision held, its database
		// down)
		Map<String, Object> outlierDetection = map("splitExternalLocalOriginErrors", true,
				"consecutiveLocalOriginFailures", 1, "consecutive5xxErrors", 0, "interval", "1s", "baseEjectionTime",
				"20s", "maxEjectionPercent", 50);
		Map<String, Object> trafficPolicy = map("loadBalancer",
				map("consistentHash", map("httpHeaderName", CANARY_KEY)), "connectionPool",
				map("tcp", map("connectTimeout", "1s"), "http", map("idleTimeout", "15s")), "outlierDetection",
				outlierDetection, "tls", map("mode", "ISTIO_MUTUAL"));
		return object("networking.istio.io/v1", "DestinationRule", host,
				map("host", host, "trafficPolicy", trafficPolicy));
	}

	/**
	 * @return an Istio URI match for a Spring path pattern: {@code /api/inventory/**} as
	 * the path itself or anything below it, {@code *} as one segment's characters, else
	 * the exact path
	 */
	static Map<String, Object> uri(String pattern) {
		if (!pattern.contains("*")) {
			return map("uri", map("exact", pattern));
		}
		String regex;
		if (pattern.endsWith("/**") && !pattern.substring(0, pattern.length() - 3).contains("*")) {
			regex = quote(pattern.substring(0, pattern.length() - 3)) + "(/.*)?";
		}
		else {
			regex = String.join("[^/]*", List.of(quote(pattern.replace("**", "*")).split("\\*", -1)));
		}
		return map("uri", map("regex", regex));
	}

	private static String quote(String literal) {
		StringBuilder quoted = new StringBuilder();
		for (char c : literal.toCharArray()) {
			if ("\\.+?()[]{}|^$".indexOf(c) >= 0) {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		return quoted.toString();
	}

	private static Map<String, Object> destination(String host, Integer weight) {
		Map<String, Object> destination = map("destination", map("host", host));
		if (weight != null) {
			destination.put("weight", weight);
		}
		return destination;
	}

	private static Map<String, Object> retries(boolean safe) {
		return safe ? map("attempts", 2, "perTryTimeout", "5s", "retryOn", "connect-failure,refused-stream,reset,5xx")
				: map("attempts", 0);
	}

	static Map<String, Object> object(String apiVersion, String kind, String name, Map<String, Object> spec) {
		return map("apiVersion", apiVersion, "kind", kind, "metadata", map("name", name), "spec", spec);
	}

	static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
