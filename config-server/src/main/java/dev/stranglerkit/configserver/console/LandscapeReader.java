package dev.stranglerkit.configserver.console;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.stranglerkit.control.AuditLog;
import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.control.RotatingClientTls;
import dev.stranglerkit.control.Route;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Reads what the console shows, all at once and in parallel: the routes as config-repo
 * says them, the gateway's routes, mismatches and request metrics, Eureka's instances,
 * each application's outbox metrics and the audit log. A part of the landscape that does
 * not answer within a second is named in {@link State#problems()}; the rest is still
 * shown.
 */
@Component
class LandscapeReader {

	/** how many audit entries and shadow mismatches the page shows */
	static final int LAST = 8;

	/** Browsers on the page share one reading this fresh. */
	private static final Duration REUSE = Duration.ofMillis(500);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	/** Prometheus' text format (the actuator also speaks OpenMetrics) */
	private static final String PROMETHEUS = MediaType.TEXT_PLAIN_VALUE;

	private final ConsoleProperties properties;

	private final ConfigRepo repo;

	private final JsonMapper json;

	private final TrafficRates rates;

	private final HttpClient http;

	private State last;

	private long lastRead;

	/**
	 * @param tls with mutual TLS: the config server's certificate, which the readings
	 * present
	 */
	LandscapeReader(ConsoleProperties properties, ConfigRepo repo, JsonMapper json,
			ObjectProvider<RotatingClientTls> tls) {
		HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT);
		tls.ifAvailable((clientTls) -> http.sslContext(clientTls.sslContext()));
		this.http = http.build();
		this.properties = properties;
		this.repo = repo;
		this.json = json;
		this.rates = new TrafficRates(properties.window());
	}

	/** What the console shows. */
	record State(Instant at, List<RouteState> routes, List<JsonNode> mismatches, List<Instance> instances,
			List<Outbox> outboxes, List<Sagas> sagas, List<AuditLog.Entry> audit, Map<String, String> problems) {
	}

	/**
	 * The order sagas of an application that runs them (the monolith): the style new
	 * orders follow, the orders whose saga has not ended by style, the orchestrated steps
	 * awaited past their deadline (stuck sagas), and the sagas ended since it started, by
	 * outcome.
	 */
	record Sagas(String app, String style, Double pendingChoreographed, Double pendingOrchestrated, Double overdueSteps,
			Double confirmed, Double cancelled) {
	}

	/**
	 * A strangler route: its mode and percent as config-repo says them and as the gateway
	 * applies them (null when the gateway does not answer), its live traffic, and its
	 * shadow comparisons since the gateway started, by result.
	 */
	record RouteState(String name, String owner, String mode, Integer canaryPercent, String appliedMode,
			Integer appliedPercent, TrafficRates.Traffic traffic, Map<String, Long> comparisons) {
	}

	/** An instance in the registry, with the status Eureka has for it. */
	record Instance(String app, String id, String status, String url) {
	}

	/**
	 * An application's outbox: incomplete publications, the oldest's age, dead letters;
	 * the decisions it has awaited from a module's other owner for too long
	 * ({@code kit_ownership_overdue_decisions}: stranded orders, whose decider is down or
	 * whose message is dead-lettered); and its relay: {@code outbox}, or {@code cdc} with
	 * its replication slot and how many bytes of the write-ahead log that slot is behind
	 * ({@code kit_outbox_cdc_behind_bytes}).
	 */
	record Outbox(String app, URI url, boolean reachable, Double incomplete, Double oldestAgeSeconds,
			Double deadLetters, Double overdueDecisions, String relay, String slot, Double slotBehindBytes) {
	}

	synchronized State state() {
		long now = System.nanoTime();
		if (this.last != null && now - this.lastRead < REUSE.toNanos()) {
			return this.last;
		}
		Map<String, String> problems = new LinkedHashMap<>();
		ConsoleProperties.Endpoint gateway = this.properties.gateway();
		CompletableFuture<Answer> strangler = get(gateway.url().resolve("/actuator/strangler"), gateway.authorization(),
				JSON);
		CompletableFuture<Answer> metrics = get(gateway.url().resolve("/actuator/prometheus"), gateway.authorization(),
				PROMETHEUS);
		ConsoleProperties.Endpoint eureka = this.properties.eureka();
		CompletableFuture<Answer> registry = get(URI.create(eureka.url() + "/apps"), eureka.authorization(), JSON);
		Map<String, CompletableFuture<Answer>> outboxes = new LinkedHashMap<>();
		this.properties.applications()
			.forEach((app, url) -> outboxes.put(app,
					get(url.resolve("/actuator/prometheus"), gateway.authorization(), PROMETHEUS)));

		List<PrometheusText.Sample> samples = List.of();
		Answer scrape = metrics.join();
		if (scrape.ok()) {
			samples = PrometheusText.parse(scrape.body());
			this.rates.add(now, samples);
		}
		else {
			problems.put("gateway", "the gateway's metrics: " + scrape.problem());
		}
		JsonNode applied = null;
		Answer routes = strangler.join();
		if (routes.ok()) {
			applied = this.json.readTree(routes.body());
		}
		else {
			problems.put("gateway", "the gateway (" + gateway.url() + "): " + routes.problem());
		}
		State state = new State(Instant.now(), routes(applied, samples, problems), mismatches(applied),
				instances(registry.join(), problems), outboxes(outboxes), sagas(outboxes), audit(problems), problems);
		this.last = state;
		this.lastRead = now;
		return state;
	}

	private List<RouteState> routes(JsonNode applied, List<PrometheusText.Sample> samples,
			Map<String, String> problems) {
		List<Route> routes;
		try {
			routes = this.repo.routes().routes();
		}
		catch (RuntimeException ex) {
			problems.put("config-repo", "could not read " + this.repo.routes().file() + ": " + ex.getMessage());
			return List.of();
		}
		List<RouteState> states = new ArrayList<>();
		for (Route route : routes) {
			JsonNode gateway = (applied != null) ? applied.path("routes").path(route.name()) : null;
			boolean known = gateway != null && !gateway.isMissingNode();
			Map<String, Long> comparisons = new LinkedHashMap<>();
			samples.stream()
				.filter((sample) -> sample.name().equals("strangler_shadow_comparisons_total")
						&& sample.label("route").equals(route.name()))
				.forEach((sample) -> comparisons.merge(sample.label("result"), (long) sample.value(), Long::sum));
			states.add(new RouteState(route.name(), (route.owner() != null) ? route.owner().value() : null,
					route.mode().value(), route.canaryPercent(),
					known ? gateway.path("mode").asString().toLowerCase() : null,
					known ? gateway.path("canaryPercent").asInt() : null, this.rates.of(route.name()), comparisons));
		}
		return states;
	}

	/** the gateway's most recent shadow mismatches, newest first */
	private static List<JsonNode> mismatches(JsonNode applied) {
		List<JsonNode> mismatches = new ArrayList<>();
		if (applied != null) {
			for (JsonNode mismatch : applied.path("mismatches")) {
				if (mismatches.size() < LAST) {
					mismatches.add(mismatch);
				}
			}
		}
		return mismatches;
	}

	private List<Instance> instances(Answer registry, Map<String, String> problems) {
		if (!registry.ok()) {
			problems.put("eureka", "the registry (" + this.properties.eureka().url() + "): " + registry.problem());
			return List.of();
		}
		List<Instance> instances = new ArrayList<>();
		for (JsonNode app : array(this.json.readTree(registry.body()).path("applications").path("application"))) {
			for (JsonNode instance : array(app.path("instance"))) {
				instances
					.add(new Instance(app.path("name").asString().toLowerCase(), instance.path("instanceId").asString(),
							instance.path("status").asString(), instance.path("homePageUrl").asString()));
			}
		}
		instances.sort(Comparator.comparing(Instance::app).thenComparing(Instance::id));
		return instances;
	}

	/** Eureka writes a list of one as the element itself. */
	private static List<JsonNode> array(JsonNode node) {
		List<JsonNode> elements = new ArrayList<>();
		if (node.isArray()) {
			node.forEach(elements::add);
		}
		else if (node.isObject()) {
			elements.add(node);
		}
		return elements;
	}

	private List<Outbox> outboxes(Map<String, CompletableFuture<Answer>> answers) {
		List<Outbox> outboxes = new ArrayList<>();
		answers.forEach((app, future) -> {
			URI url = this.properties.applications().get(app);
			Answer answer = future.join();
			if (!answer.ok()) {
				outboxes.add(new Outbox(app, url, false, null, null, null, null, null, null, null));
				return;
			}
			List<PrometheusText.Sample> samples = PrometheusText.parse(answer.body());
			PrometheusText.Sample slot = samples.stream()
				.filter((sample) -> sample.name().equals("kit_outbox_cdc_behind_bytes"))
				.findFirst()
				.orElse(null);
			outboxes.add(new Outbox(app, url, true, PrometheusText.sum(samples, "kit_outbox_incomplete"),
					PrometheusText.sum(samples, "kit_outbox_oldest_age_seconds"),
					PrometheusText.sum(samples, "kit_messaging_dead_letters"),
					PrometheusText.sum(samples, "kit_ownership_overdue_decisions"), (slot != null) ? "cdc" : "outbox",
					(slot != null) ? slot.label("slot") : null, (slot != null) ? slot.value() : null));
		});
		return outboxes;
	}

	/** The sagas of each application whose metrics have them. */
	private static List<Sagas> sagas(Map<String, CompletableFuture<Answer>> answers) {
		List<Sagas> sagas = new ArrayList<>();
		answers.forEach((app, future) -> {
			Answer answer = future.join();
			if (!answer.ok()) {
				return;
			}
			List<PrometheusText.Sample> samples = PrometheusText.parse(answer.body());
			String style = samples.stream()
				.filter((sample) -> sample.name().equals("shop_orders_saga_style") && sample.value() == 1)
				.map((sample) -> sample.label("style"))
				.findFirst()
				.orElse(null);
			if (style == null) {
				return;
			}
			sagas.add(new Sagas(app, style, labelled(samples, "shop_orders_sagas_pending", "style", "choreography"),
					labelled(samples, "shop_orders_sagas_pending", "style", "orchestration"),
					PrometheusText.sum(samples, "shop_orders_saga_steps_overdue"),
					labelled(samples, "shop_orders_saga_seconds_count", "outcome", "confirmed"),
					labelled(samples, "shop_orders_saga_seconds_count", "outcome", "cancelled")));
		});
		return sagas;
	}

	/** The sum of a metric's samples with the label's value (0 for none). */
	private static double labelled(List<PrometheusText.Sample> samples, String name, String label, String value) {
		return samples.stream()
			.filter((sample) -> sample.name().equals(name) && value.equals(sample.label(label)))
			.mapToDouble(PrometheusText.Sample::value)
			.sum();
	}

	private List<AuditLog.Entry> audit(Map<String, String> problems) {
		try {
			return this.repo.audit().last(LAST);
		}
		catch (RuntimeException ex) {
			problems.put("audit", "could not read " + this.repo.audit().file() + ": " + ex.getMessage());
			return List.of();
		}
	}

	/** An HTTP answer, or why there was none. */
	private record Answer(int status, String body, String problem) {

		boolean ok() {
			return this.status == 200;
		}

	}

	private CompletableFuture<Answer> get(URI uri, String authorization, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header(HttpHeaders.ACCEPT, accept);
		if (authorization != null) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Answer(response.statusCode(), response.body(),
					(response.statusCode() == 200) ? null : "answered " + response.statusCode()))
			.exceptionally((failure) -> new Answer(0, null, why(failure)));
	}

	private static String why(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
			return "not running (no connection)";
		}
		if (cause instanceof HttpTimeoutException) {
			return "no answer within " + TIMEOUT.toMillis() + " ms";
		}
		return cause.toString();
	}

}
