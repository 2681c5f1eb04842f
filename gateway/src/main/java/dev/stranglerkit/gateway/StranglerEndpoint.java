package dev.stranglerkit.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/strangler} (admin credentials): the routes as this instance
 * applies them right now, and the most recent shadow mismatches; {@code GET
 * /actuator/strangler/<service>}: the instances of a service this instance's load
 * balancer sends requests to right now (after Eureka's fetch, the load-balancer cache and
 * the ejections), which {@code ./kit up} waits for. Read-only: a route changes in
 * {@code config-repo/gateway.yml}, never here.
 */
@Component
@Endpoint(id = "strangler")
class StranglerEndpoint {

	private final StranglerRoutes routes;

	private final ShadowTraffic shadow;

	private final LoadBalancerClientFactory loadBalancers;

	StranglerEndpoint(StranglerRoutes routes, ShadowTraffic shadow, LoadBalancerClientFactory loadBalancers) {
		this.routes = routes;
		this.shadow = shadow;
		this.loadBalancers = loadBalancers;
	}

	@ReadOperation
	Map<String, Object> strangler() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("routes", this.routes.current().routes());
		view.put("mismatches", recent());
		return view;
	}

	/**
	 * @return {@code host:port} of every instance of the service in rotation, as the load
	 * balancer picks among them
	 */
	@ReadOperation
	Mono<List<String>> instances(@Selector String service) {
		ServiceInstanceListSupplier instances = this.loadBalancers.getInstance(service,
				ServiceInstanceListSupplier.class);
		if (instances == null) {
			return Mono.just(List.of());
		}
		return instances.get()
			.next()
			.map((list) -> list.stream().map((instance) -> instance.getHost() + ":" + instance.getPort()).toList())
			.timeout(Duration.ofSeconds(5), Mono.just(List.of()));
	}

	private List<ShadowTraffic.Mismatch> recent() {
		return this.shadow.recentMismatches();
	}

}
