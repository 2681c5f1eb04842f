package dev.stranglerkit.gateway;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.stranglerkit.control.Mode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Sends a strangler route's request to the target its {@link Decision} names, just before
 * the load balancer resolves it through the registry, and marks the response with
 * {@code X-Served-By}. In service mode, while the monolith still has the module, a
 * failing service falls back to the monolith through a circuit breaker per route: a safe
 * request after any failure (an error, a timeout, a 5xx), any request when nothing
 * reached the service (no instance, connection refused, the circuit open). A write that
 * may have reached the service is never sent twice.
 */
@Component
class TargetFilter implements GlobalFilter, Ordered {

	static final String SERVED_BY = "X-Served-By";

	private static final Logger log = LoggerFactory.getLogger(TargetFilter.class);

	private final ReactiveCircuitBreakerFactory<?, ?> breakers;

	private final MeterRegistry meters;

	private final Map<String, ReactiveCircuitBreaker> breakerByRoute = new ConcurrentHashMap<>();

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	TargetFilter(ReactiveCircuitBreakerFactory<?, ?> breakers, MeterRegistry meters) {
		this.breakers = breakers;
		this.meters = meters;
	}

	@Override
	public int getOrder() {
		// after RouteToRequestUrlFilter has built the URL, before the load balancer
		// resolves it
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Decision decision = Decision.of(exchange);
		if (decision == null) {
			return chain.filter(exchange);
		}
		long start = System.nanoTime();
		Mono<Void> sent = (decision.fallback() != null) ? withFallback(exchange, chain, decision)
				: send(exchange, chain, decision.target());
		return sent.doOnSuccess((done) -> record(exchange, decision, start, null))
			.doOnError((failure) -> record(exchange, decision, start, failure));
	}

	private Mono<Void> send(ServerWebExchange exchange, GatewayFilterChain chain, URI target) {
		retarget(exchange, target);
		return chain.filter(exchange)
			.doOnSuccess((done) -> exchange.getResponse().getHeaders().set(SERVED_BY, Decision.serviceId(target)));
	}

	private Mono<Void> withFallback(ServerWebExchange exchange, GatewayFilterChain chain, Decision decision) {
		ReactiveCircuitBreaker breaker = this.breakerByRoute.computeIfAbsent(decision.routeName(),
				(route) -> this.breakers.create("strangler-" + route));
		Mono<Void> toService = Mono.defer(() -> send(exchange, chain, decision.target())).then(Mono.defer(() -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			// a 5xx to a write is the service's answer: passed on, never sent again
			if (decision.safe() && status != null && status.is5xxServerError()) {
				return Mono.error(new ServiceFailedException(status));
			}
			return Mono.empty();
		}));
		return breaker.run(toService, (failure) -> {
			if (!decision.safe() && !nothingReachedTheService(failure)) {
				return Mono.error(failure);
			}
			log.debug("{} falls back to {}: {}", decision.routeName(), decision.fallback(), failure.toString());
			exchange.getAttributes().put(FALLBACK_ATTRIBUTE, Boolean.TRUE);
			ServerWebExchangeUtils.reset(exchange);
			exchange.getResponse().setStatusCode(null);
			exchange.getResponse().getHeaders().remove(SERVED_BY);
			return send(exchange, chain, decision.fallback());
		});
	}

	static final String FALLBACK_ATTRIBUTE = TargetFilter.class.getName() + ".fallback";

	private static boolean nothingReachedTheService(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CallNotPermittedException || cause instanceof NotFoundException
					|| cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Points the request at the target: its scheme and host, the request's own path and
	 * query.
	 */
	private static void retarget(ServerWebExchange exchange, URI target) {
		URI url = exchange.getRequiredAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		if (target.getScheme().equalsIgnoreCase(url.getScheme())
				&& java.util.Objects.equals(target.getHost(), url.getHost()) && target.getPort() == url.getPort()) {
			return; // already there: the route's own URI is the monolith
		}
		boolean encoded = ServerWebExchangeUtils.containsEncodedParts(url);
		URI retargeted = UriComponentsBuilder.fromUri(url)
			.scheme(target.getScheme())
			.host(target.getHost())
			.port(target.getPort())
			.build(encoded)
			.toUri();
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR, retargeted);
	}

	private void record(ServerWebExchange exchange, Decision decision, long start, Throwable failure) {
		String servedBy = exchange.getResponse().getHeaders().getFirst(SERVED_BY);
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		String outcome = (failure != null) ? "ERROR"
				: (status != null) ? (status.is2xxSuccessful() || status.is3xxRedirection()) ? "SUCCESS"
						: status.is4xxClientError() ? "CLIENT_ERROR" : "SERVER_ERROR" : "UNKNOWN";
		TimerKey key = new TimerKey(decision.routeName(), decision.mode(), (servedBy != null) ? servedBy : "none",
				outcome, exchange.getAttributes().containsKey(FALLBACK_ATTRIBUTE));
		this.timers.computeIfAbsent(key, this::timer)
			.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
	}

	private Timer timer(TimerKey key) {
		return Timer.builder("strangler.requests")
			.description("requests through strangler routes, by route, mode, who served them and outcome")
			.tag("route", key.route())
			.tag("mode", key.mode().value())
			.tag("target", key.target())
			.tag("outcome", key.outcome())
			.tag("fallback", String.valueOf(key.fallback()))
			.register(this.meters);
	}

	/** The tags of one {@code strangler.requests} timer, its cache key. */
	private record TimerKey(String route, Mode mode, String target, String outcome, boolean fallback) {
	}

	/** The service answered a safe request with a 5xx. */
	static final class ServiceFailedException extends RuntimeException {

		ServiceFailedException(HttpStatusCode status) {
			super("the service answered " + status.value());
		}

	}

}
