package dev.stranglerkit.gateway;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.stranglerkit.control.Mode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.gateway.event.EnableBodyCachingEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The current strangler routes: an immutable {@link StranglerProperties} snapshot, bound
 * from the environment at start-up and again on every configuration refresh (a bus
 * refresh from the config server), and swapped in one step. A request reads the snapshot
 * once, so a switch never changes a request half-way, and a switch of mode or percent
 * needs no rebuild of the gateway's routes at all; only a change of paths does.
 * <p>
 * Also the gateway's {@link RouteDefinitionLocator}: one route per strangler route, with
 * the route's paths, the monolith as its nominal target (the {@link StranglerFilter}
 * picks the real one per request), and retries for safe methods only.
 */
@Component
class StranglerRoutes implements RouteDefinitionLocator {

	private static final Logger log = LoggerFactory.getLogger(StranglerRoutes.class);

	private final Environment environment;

	private final ApplicationEventPublisher events;

	private final Counter refused;

	private final AtomicReference<StranglerProperties> current = new AtomicReference<>();

	StranglerRoutes(Environment environment, ApplicationEventPublisher events, MeterRegistry meters) {
		this.environment = environment;
		this.events = events;
		this.refused = Counter.builder("strangler.config.refused")
			.description("strangler route changes refused as invalid (the routes kept their last good state)")
			.register(meters);
		StranglerProperties initial = bind();
		List<String> problems = initial.validate();
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid strangler routes: " + String.join("; ", problems));
		}
		this.current.set(initial);
		log.info("Strangler routes: {}", describe(initial));
	}

	StranglerProperties current() {
		return this.current.get();
	}

	StranglerProperties.Route route(String name) {
		return this.current.get().routes().get(name);
	}

	/**
	 * Runs first among the listeners of a refresh, before Spring Cloud rebinds every
	 * other configuration properties bean: a switch is applied as early as it can be.
	 */
	@EventListener(EnvironmentChangeEvent.class)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void refresh() {
		StranglerProperties next = bind();
		List<String> problems = next.validate();
		if (!problems.isEmpty()) {
			this.refused.increment();
			log.error("Refused a change of the strangler routes, they keep their last good state: {}",
					String.join("; ", problems));
			return;
		}
		StranglerProperties previous = this.current.getAndSet(next);
		if (!previous.equals(next)) {
			log.info("Strangler routes now: {}", describe(next));
		}
		if (!pathsOf(previous).equals(pathsOf(next))) {
			announceBodyCaching(next);
			this.events.publishEvent(new RefreshRoutesEvent(this));
		}
	}

	@EventListener(org.springframework.boot.context.event.ApplicationStartedEvent.class)
	void started() {
		announceBodyCaching(this.current.get());
	}

	/**
	 * Request bodies of strangler routes are cached, so that a request can be sent again
	 * to the monolith when the service fails (and to another instance when a retry
	 * applies).
	 */
	private void announceBodyCaching(StranglerProperties routes) {
		routes.routes().keySet().forEach((name) -> this.events.publishEvent(new EnableBodyCachingEvent(this, name)));
	}

	@Override
	public Flux<RouteDefinition> getRouteDefinitions() {
		return Flux.fromIterable(this.current.get().routes().entrySet())
			.map((entry) -> definition(entry.getKey(), entry.getValue()));
	}

	private RouteDefinition definition(String name, StranglerProperties.Route route) {
		RouteDefinition definition = new RouteDefinition();
		definition.setId(name);
		definition.setUri(Objects.requireNonNullElse(route.monolith(), route.service()));
		PredicateDefinition paths = new PredicateDefinition();
		paths.setName("Path");
		for (int i = 0; i < route.paths().size(); i++) {
			paths.addArg("_genkey_" + i, route.paths().get(i));
		}
		definition.setPredicates(List.of(paths));
		// Only safe methods are retried: on a connection failure or a 5xx, up to twice
		// more,
		// on another instance where the load balancer has one.
		FilterDefinition retry = new FilterDefinition();
		retry.setName("Retry");
		retry.addArg("retries", "2");
		retry.addArg("methods", "GET,HEAD");
		retry.addArg("series", "SERVER_ERROR");
		definition.setFilters(List.of(retry));
		return definition;
	}

	private StranglerProperties bind() {
		return Binder.get(this.environment).bindOrCreate("strangler", StranglerProperties.class);
	}

	private static Map<String, List<String>> pathsOf(StranglerProperties properties) {
		return properties.routes()
			.entrySet()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().paths()));
	}

	private static String describe(StranglerProperties properties) {
		StringBuilder text = new StringBuilder();
		properties.routes().forEach((name, route) -> {
			text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(route.mode().value());
			if (route.mode() == Mode.CANARY) {
				text.append(' ').append(route.canaryPercent()).append('%');
			}
		});
		return text.toString();
	}

}
