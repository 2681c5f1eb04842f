package dev.stranglerkit.gateway;

import dev.stranglerkit.control.Mode;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The first step of a request through a strangler route: reads the current routes once,
 * decides where the request goes ({@link Decision}), and in shadow mode starts the shadow
 * request and taps the monolith's response for the comparison. It runs before Spring
 * Cloud Gateway writes the response, so the tap sees every byte the client gets;
 * {@link TargetFilter} sends the request where the decision says.
 */
@Component
class StranglerFilter implements GlobalFilter, Ordered {

	private final StranglerRoutes routes;

	private final ShadowTraffic shadow;

	StranglerFilter(StranglerRoutes routes, ShadowTraffic shadow) {
		this.routes = routes;
		this.shadow = shadow;
	}

	@Override
	public int getOrder() {
		return NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route gatewayRoute = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		StranglerProperties snapshot = this.routes.current();
		StranglerProperties.Route route = (gatewayRoute != null) ? snapshot.routes().get(gatewayRoute.getId()) : null;
		if (route == null) {
			return chain.filter(exchange);
		}
		Decision decision = Decision.decide(gatewayRoute.getId(), route, snapshot, exchange);
		exchange.getAttributes().put(Decision.ATTRIBUTE, decision);
		if (decision.mode() == Mode.SHADOW && decision.safe() && route.service() != null) {
			return chain.filter(this.shadow.mirror(exchange, decision, route, snapshot.shadow()));
		}
		return chain.filter(exchange);
	}

}
