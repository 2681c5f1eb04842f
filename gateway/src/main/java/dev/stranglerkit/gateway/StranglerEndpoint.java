package dev.stranglerkit.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/strangler} (admin credentials): the routes as this instance
 * applies them right now, and the most recent shadow mismatches. Read-only: a route
 * changes in {@code config-repo/gateway.yml}, never here.
 */
@Component
@Endpoint(id = "strangler")
class StranglerEndpoint {

	private final StranglerRoutes routes;

	private final ShadowTraffic shadow;

	StranglerEndpoint(StranglerRoutes routes, ShadowTraffic shadow) {
		this.routes = routes;
		this.shadow = shadow;
	}

	@ReadOperation
	Map<String, Object> strangler() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("routes", this.routes.current().routes());
		view.put("mismatches", recent());
		return view;
	}

	private List<ShadowTraffic.Mismatch> recent() {
		return this.shadow.recentMismatches();
	}

}
