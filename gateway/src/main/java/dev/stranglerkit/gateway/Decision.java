package dev.stranglerkit.gateway;

import java.net.URI;

import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * Where one request through a strangler route goes, decided once, when it enters the
 * gateway, from one snapshot of the routes: a switch that lands while the request is in
 * flight does not change it half-way.
 *
 * @param routeName the strangler route
 * @param mode the route's mode when the request arrived
 * @param target the target to send it to
 * @param fallback where to send it when the target fails (the monolith, in service mode
 * while the monolith still has the module), or {@code null}
 * @param safe whether the method is safe (GET, HEAD), so it may be mirrored, retried and
 * sent again after any failure
 */
record Decision(String routeName, Mode mode, URI target, @Nullable URI fallback, boolean safe) {

	static final String ATTRIBUTE = Decision.class.getName();

	static @Nullable Decision of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

	static Decision decide(String routeName, StranglerProperties.Route route, StranglerProperties routes,
			ServerWebExchange exchange) {
		HttpMethod method = exchange.getRequest().getMethod();
		boolean safe = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
		URI owner = (route.owner() == Owner.SERVICE) ? route.service() : route.monolith();
		return switch (route.mode()) {
			case MONOLITH -> new Decision(routeName, route.mode(), route.monolith(), null, safe);
			case SHADOW -> new Decision(routeName, route.mode(), safe ? route.monolith() : owner, null, safe);
			case CANARY -> {
				boolean toService = safe && Canary.toService(routeName,
						Canary.key(exchange.getRequest(), routes.canary()), route.canaryPercent());
				yield new Decision(routeName, route.mode(),
						toService ? route.service() : (safe ? route.monolith() : owner), null, safe);
			}
			case SERVICE -> new Decision(routeName, route.mode(), route.service(),
					route.monolithAvailable() ? route.monolith() : null, safe);
		};
	}

	/**
	 * @return the service id of a target ({@code lb://inventory-service} →
	 * inventory-service)
	 */
	static String serviceId(URI target) {
		return (target.getHost() != null) ? target.getHost() : target.toString();
	}

}
