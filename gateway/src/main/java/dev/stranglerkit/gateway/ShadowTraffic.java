package dev.stranglerkit.gateway;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stranglerkit.control.RotatingClientTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Shadow mode: a safe request served by the monolith is also sent to the service, in the
 * background, and the two answers are compared (status, and the JSON bodies without the
 * fields the route ignores). The client gets the monolith's answer as soon as it is
 * there: the shadow request is never waited for, and a slow or failing service changes
 * nothing for the client. Outcomes are counted per route
 * ({@code strangler.shadow.comparisons}); the most recent mismatches are kept for
 * inspection ({@code /actuator/strangler}).
 */
@Component
class ShadowTraffic {

	private static final Log logger = LogFactory.getLog(ShadowTraffic.class);

	private static final Set<String> NOT_FORWARDED = Set.of(HttpHeaders.HOST, HttpHeaders.CONTENT_LENGTH,
			HttpHeaders.CONNECTION, HttpHeaders.TRANSFER_ENCODING, "Keep-Alive", HttpHeaders.UPGRADE);

	private final WebClient client;

	private final WebClient loadBalanced;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Deque<Mismatch> mismatches = new ArrayDeque<>();

	ShadowTraffic(ObjectProvider<WebClient.Builder> webClient, ReactorLoadBalancerExchangeFilterFunction loadBalancer,
			JsonMapper json, MeterRegistry meters, ObjectProvider<RotatingClientTls> tls) {
		WebClient.Builder builder = webClient.getIfAvailable(WebClient::builder);
		// with mutual TLS, the copy presents the gateway's certificate as the routed
		// request does
		tls.ifAvailable((clientTls) -> builder
			.clientConnector(new ReactorClientHttpConnector(BackendTls.secure(HttpClient.create(), clientTls))));
		this.client = builder.clone().build();
		this.loadBalanced = builder.clone().filter(loadBalancer).build();
		this.json = json;
		this.meters = meters;
	}

	/**
	 * Starts the shadow request and returns the exchange whose response is tapped for the
	 * comparison.
	 */
	ServerWebExchange mirror(ServerWebExchange exchange, Decision decision, StranglerProperties.Route route,
			StranglerProperties.Shadow settings) {
		if (this.inFlight.incrementAndGet() > settings.maxInFlight()) {
			this.inFlight.decrementAndGet();
			count(decision.routeName(), "skipped");
			return exchange;
		}
		Mono<Answer> fromService = shadowRequest(exchange, route.service(), settings).cache();
		fromService.subscribe((answer) -> {
		}, (failure) -> logger.debug("Shadow request failed", failure));
		TappedResponse tapped = new TappedResponse(exchange.getResponse(), (int) settings.maxBodySize().toBytes());
		Mono.zip(tapped.answer(), fromService)
			.timeout(settings.timeout().plus(settings.timeout()))
			.doFinally((signal) -> this.inFlight.decrementAndGet())
			.subscribe((answers) -> compare(decision.routeName(), exchange, route, answers.getT1(), answers.getT2(),
					settings.keepMismatches()), (failure) -> {
						logger.debug("No shadow comparison", failure);
						count(decision.routeName(), "error");
						keep(new Mismatch(Instant.now(), decision.routeName(), exchange.getRequest().getMethod().name(),
								exchange.getRequest().getURI().getRawPath(), null, null, null, null,
								"no comparison: " + failure), settings.keepMismatches());
					});
		return exchange.mutate().response(tapped).build();
	}

	private Mono<Answer> shadowRequest(ServerWebExchange exchange, URI service, StranglerProperties.Shadow settings) {
		URI original = exchange.getRequest().getURI();
		// lb://service-id is resolved through the registry: the load balancer's filter
		// takes the host of an http URI as the service id
		boolean viaRegistry = "lb".equalsIgnoreCase(service.getScheme());
		URI target = UriComponentsBuilder.fromUri(service)
			.scheme(viaRegistry ? "http" : service.getScheme())
			.replacePath(original.getRawPath())
			.replaceQuery(original.getRawQuery())
			.build(true)
			.toUri();
		return (viaRegistry ? this.loadBalanced : this.client).method(exchange.getRequest().getMethod())
			.uri(target)
			.headers((headers) -> exchange.getRequest().getHeaders().forEach((name, values) -> {
				if (NOT_FORWARDED.stream().noneMatch(name::equalsIgnoreCase)) {
					headers.addAll(name, values);
				}
			}))
			.exchangeToMono((response) -> response.bodyToMono(byte[].class)
				.defaultIfEmpty(new byte[0])
				.map((body) -> new Answer(response.statusCode(), body, false)))
			.timeout(settings.timeout());
	}

	private void compare(String routeName, ServerWebExchange exchange, StranglerProperties.Route route, Answer monolith,
			Answer service, int keep) {
		String difference = difference(monolith, service, route.shadowIgnoredFields());
		if (difference == null) {
			count(routeName, "match");
			return;
		}
		count(routeName, "mismatch");
		keep(new Mismatch(Instant.now(), routeName, exchange.getRequest().getMethod().name(),
				exchange.getRequest().getURI().getRawPath() + ((exchange.getRequest().getURI().getRawQuery() != null)
						? "?" + exchange.getRequest().getURI().getRawQuery() : ""),
				monolith.status().value(), service.status().value(), excerpt(monolith.body()), excerpt(service.body()),
				difference), keep);
	}

	/**
	 * @return what differs, or {@code null} when the answers are the same
	 */
	@Nullable String difference(Answer monolith, Answer service, List<String> ignoredFields) {
		if (monolith.truncated()) {
			return "the monolith's body is larger than strangler.shadow.max-body-size, not compared";
		}
		if (!monolith.status().equals(service.status())) {
			return "status %d from the monolith, %d from the service".formatted(monolith.status().value(),
					service.status().value());
		}
		try {
			JsonNode expected = withoutFields(this.json.readTree(monolith.body()), ignoredFields);
			JsonNode actual = withoutFields(this.json.readTree(service.body()), ignoredFields);
			return expected.equals(actual) ? null : "the JSON bodies differ";
		}
		catch (JacksonException notJson) {
			return java.util.Arrays.equals(monolith.body(), service.body()) ? null : "the bodies differ (not JSON)";
		}
	}

	private static JsonNode withoutFields(JsonNode node, List<String> fields) {
		if (node instanceof ObjectNode object) {
			object.remove(fields);
			object.values().forEach((child) -> withoutFields(child, fields));
		}
		else if (node instanceof ArrayNode array) {
			array.values().forEach((child) -> withoutFields(child, fields));
		}
		return node;
	}

	private static String excerpt(byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8);
		return (text.length() > 2000) ? text.substring(0, 2000) + "..." : text;
	}

	private void count(String route, String result) {
		Counter.builder("strangler.shadow.comparisons")
			.description("shadow comparisons by route and result (match, mismatch, error, skipped)")
			.tag("route", route)
			.tag("result", result)
			.register(this.meters)
			.increment();
	}

	private void keep(Mismatch mismatch, int limit) {
		synchronized (this.mismatches) {
			this.mismatches.addFirst(mismatch);
			while (this.mismatches.size() > limit) {
				this.mismatches.removeLast();
			}
		}
	}

	/**
	 * @return the most recent mismatches, newest first
	 */
	List<Mismatch> recentMismatches() {
		synchronized (this.mismatches) {
			return List.copyOf(this.mismatches);
		}
	}

	/** One side's answer. */
	record Answer(HttpStatusCode status, byte[] body, boolean truncated) {
	}

	/** A shadow comparison that did not match, kept for inspection. */
	record Mismatch(Instant at, String route, String method, String path, @Nullable Integer monolithStatus,
			@Nullable Integer serviceStatus, @Nullable String monolithBody, @Nullable String serviceBody,
			String difference) {
	}

	/** Copies what the client is sent, up to a limit, without holding it up. */
	static final class TappedResponse extends ServerHttpResponseDecorator {

		private final Sinks.One<Answer> answer = Sinks.one();

		private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

		private final int limit;

		private boolean truncated;

		TappedResponse(ServerHttpResponse delegate, int limit) {
			super(delegate);
			this.limit = limit;
		}

		Mono<Answer> answer() {
			return this.answer.asMono();
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return super.writeWith(
					Flux.from(body).doOnNext(this::keep).doOnComplete(this::done).doOnCancel(this::done));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			// a streamed answer is not compared
			this.truncated = true;
			done();
			return super.writeAndFlushWith(body);
		}

		@Override
		public Mono<Void> setComplete() {
			return super.setComplete().doOnTerminate(this::done);
		}

		private void keep(DataBuffer buffer) {
			if (this.truncated || this.copy.size() + buffer.readableByteCount() > this.limit) {
				this.truncated = true;
				return;
			}
			try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
				while (buffers.hasNext()) {
					ByteBuffer bytes = buffers.next();
					byte[] chunk = new byte[bytes.remaining()];
					bytes.get(chunk);
					this.copy.write(chunk, 0, chunk.length);
				}
			}
		}

		private void done() {
			HttpStatusCode status = getStatusCode();
			this.answer.tryEmitValue(new Answer((status != null) ? status : HttpStatusCode.valueOf(200),
					this.copy.toByteArray(), this.truncated));
		}

	}

}
