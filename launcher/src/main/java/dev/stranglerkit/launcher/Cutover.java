package dev.stranglerkit.launcher;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Handoffs;
import dev.stranglerkit.control.Route;
import dev.stranglerkit.control.RouteChangeException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./kit cutover <module> <service|monolith>}: moves a module's ownership and its
 * gateway route together, through config-repo, and lets the move stand only once both
 * sides confirm it. Every order has exactly one decider only if the monolith and the
 * service apply the same handoff before its instant; each gets it on its own (config
 * server, then a bus refresh), so {@link #move} checks instead of trusting:
 * <ol>
 * <li>It refuses, changing nothing, when the side that takes over has no healthy instance
 * (UP in Eureka and answering health UP; when Eureka does not answer, the instance on the
 * application's usual port): the module's orders would have no decider.</li>
 * <li>It appends a handoff ({@code <instant>=<owner>}, {@link #LEAD} ahead) to
 * {@code kit.ownership.<module>}, kept once for the monolith and the services in
 * {@code config-repo/application.yml} (kit-control's {@link Handoffs}), and switches the
 * route to the new owner (mode and owner), recorded in {@code config-repo/audit.log} like
 * every switch.</li>
 * <li>It waits until every running instance of both sides (Eureka's, and whatever answers
 * on the usual port) lists the handoff in {@code /actuator/ownership}, and reports each
 * side's confirmation.</li>
 * <li>If a side has not confirmed {@link #UNDO_MARGIN} before the instant, it undoes the
 * move: the entry leaves the list (it has not taken effect, so nothing was decided under
 * it), the route goes back as it was (recorded in the audit log, {@code via}
 * {@code cutover-undo}), it waits until the instances that had confirmed no longer list
 * the entry, and fails naming the side that did not confirm.</li>
 * </ol>
 * Rolling back is the same move in the other direction. A side with no instance running
 * has nothing to confirm: it reads the handoff when it starts.
 */
public final class Cutover {

	/** module -> the service that takes it over */
	static final Map<String, String> SERVICES = Map.of("notifications", "notification-service", "inventory",
			"inventory-service");

	/**
	 * How far ahead a handoff is set: time for both sides to confirm it (the bus delivers
	 * a change within about a second) and, when one does not, for the undo to reach every
	 * side before the instant ({@link #UNDO_MARGIN}).
	 */
	static final Duration LEAD = Duration.ofSeconds(10);

	/**
	 * How long before the handoff's instant both sides must have confirmed it. An undo
	 * travels the same way as the handoff (file, config server, bus refresh): this leaves
	 * it several times what that takes on a busy machine, so that a side which applied
	 * the handoff drops it again before the instant and never decides under it alone.
	 */
	static final Duration UNDO_MARGIN = Duration.ofSeconds(5);

	/** how often an instance is asked again */
	private static final Duration POLL = Duration.ofMillis(100);

	/** what {@code audit.log} says came from an undo (instead of {@code cli}) */
	static final String UNDO = "cutover-undo";

	private final Path configRepo;

	private final URI eureka;

	private final String eurekaCredentials;

	/** application -> the instance on its usual port */
	private final Map<String, URI> usualInstances;

	private final Consumer<String> out;

	private final JsonMapper json = JsonMapper.builder().build();

	/** A cutover in the local landscape, reporting on standard output. */
	public Cutover(Path configRepo) {
		this(configRepo, System.out::println);
	}

	/**
	 * A cutover in the local landscape: its Eureka ({@code KIT_EUREKA_USER} and
	 * {@code KIT_EUREKA_PASSWORD}) and its applications' usual ports.
	 * @param out where the progress goes, a line at a time
	 */
	public Cutover(Path configRepo, Consumer<String> out) {
		this(configRepo, URI.create("http://127.0.0.1:" + Landscape.PORTS.get(Landscape.DISCOVERY)),
				Kit.credentials(System.getenv(), "KIT_EUREKA", "eureka", "eureka-secret"),
				Landscape.PORTS.entrySet()
					.stream()
					.collect(Collectors.toMap(Map.Entry::getKey,
							(port) -> URI.create("http://127.0.0.1:" + port.getValue()))),
				out);
	}

	Cutover(Path configRepo, URI eureka, String eurekaCredentials, Map<String, URI> usualInstances,
			Consumer<String> out) {
		this.configRepo = configRepo;
		this.eureka = eureka;
		this.eurekaCredentials = eurekaCredentials;
		this.usualInstances = Map.copyOf(usualInstances);
		this.out = out;
	}

	/**
	 * Moves the module and its route, confirmed by both sides (see the class).
	 * @return the instant from which the new owner owns the module's events
	 * @throws LaunchException when the side that takes over has no healthy instance
	 * (nothing written), or when a side did not confirm in time (the move undone)
	 */
	public Instant move(String module, String to) {
		String service = service(module, to);
		String taker = to.equals("service") ? service : Landscape.MONOLITH;
		requireHealthyInstance(taker, module);
		Route before = new ConfigRepo(this.configRepo).routes()
			.routes()
			.stream()
			.filter((route) -> route.name().equals(module))
			.findFirst()
			.orElseThrow(() -> new LaunchException("config-repo/gateway.yml has no route " + module));
		long start = System.nanoTime();
		Instant handoff = write(module, to);
		String entry = handoff + "=" + to;
		this.out.accept("config-repo: %s owned by the %s for events from %s (application.yml); gateway route %s -> %s"
			.formatted(module, to, handoff, module, to));
		Map<String, List<URI>> instances = new LinkedHashMap<>();
		for (String side : List.of(Landscape.MONOLITH, service)) {
			instances.put(side, runningInstances(side));
		}
		Map<String, Map<URI, String>> unconfirmed = await(module, entry, true, instances, start,
				handoff.minus(UNDO_MARGIN), "confirmed");
		if (instances.get(taker).stream().noneMatch(Http::listening)) {
			// it stopped since the check: nothing would decide after the instant
			unconfirmed.put(taker, Map.of(this.usualInstances.get(taker), taker + " stopped during the cutover"));
		}
		if (unconfirmed.isEmpty()) {
			return handoff;
		}
		throw undo(module, entry, before, handoff, instances, unconfirmed);
	}

	/**
	 * Writes the handoff and switches the route without asking anyone: for when no
	 * process of the landscape runs, so that each reads the move when it starts (a preset
	 * of {@code ./kit up} on a stopped landscape).
	 * @return the handoff's instant
	 */
	public Instant write(String module, String to) {
		String service = service(module, to);
		Instant handoff = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
		try {
			handoffs().append(module, handoff + "=" + to);
		}
		catch (RouteChangeException ex) {
			throw new LaunchException(ex.getMessage());
		}
		new Routes().switchRoute(this.configRepo, module, to, null, to);
		return handoff;
	}

	private static String service(String module, String to) {
		String service = SERVICES.get(module);
		if (service == null) {
			throw new LaunchException("no extracted service for module '" + module + "' (modules: "
					+ String.join(", ", SERVICES.keySet()) + ")");
		}
		if (!to.equals("service") && !to.equals("monolith")) {
			throw new LaunchException("a cutover moves a module to 'service' or back to 'monolith', not '" + to + "'");
		}
		return service;
	}

	/**
	 * @throws LaunchException unless Eureka has an instance of the application UP that
	 * answers health UP (when Eureka does not answer: the instance on its usual port)
	 */
	private void requireHealthyInstance(String application, String module) {
		List<Registered> registered = registered(application);
		String why;
		if (registered == null) {
			URI usual = this.usualInstances.get(application);
			if (healthy(usual)) {
				return;
			}
			why = "Eureka (" + this.eureka + ") does not answer, and nothing healthy answers on " + usual;
		}
		else {
			List<URI> up = registered.stream()
				.filter((instance) -> instance.status().equals("UP"))
				.map(Registered::uri)
				.toList();
			if (up.stream().anyMatch(this::healthy)) {
				return;
			}
			why = up.isEmpty() ? "Eureka lists no instance of it UP"
					: "Eureka lists " + up + " UP, but none answers health UP";
		}
		throw new LaunchException("%s has no healthy instance (%s), so nothing would decide the %s after the handoff: "
			.formatted(application, why, module) + "cutover refused, nothing changed. Start it first: ./kit up "
				+ application);
	}

	private boolean healthy(URI instance) {
		return Http.get(instance.resolve("/actuator/health"), null)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> json(response).path("status").asString("").equals("UP"))
			.orElse(false);
	}

	/** An instance as Eureka has it. */
	private record Registered(URI uri, String status) {
	}

	/**
	 * @return the application's instances in Eureka (none when Eureka does not know it),
	 * or null when Eureka does not answer
	 */
	private List<Registered> registered(String application) {
		Optional<HttpResponse<String>> response = Http
			.get(this.eureka.resolve("/eureka/apps/" + application.toUpperCase()), this.eurekaCredentials);
		if (response.isEmpty() || (response.get().statusCode() != 200 && response.get().statusCode() != 404)) {
			return null;
		}
		List<Registered> instances = new ArrayList<>();
		if (response.get().statusCode() == 200) {
			JsonNode listed = json(response.get()).path("application").path("instance");
			for (JsonNode instance : listed.isArray() ? listed : List.of(listed)) {
				instances.add(
						new Registered(
								URI.create("http://" + instance.path("ipAddr").asString() + ":"
										+ instance.path("port").path("$").asInt()),
								instance.path("status").asString("")));
			}
		}
		return instances;
	}

	/**
	 * @return every instance of the application that runs: Eureka's, whatever its status,
	 * and the one on its usual port (Eureka may not list one that started a moment ago)
	 */
	private List<URI> runningInstances(String application) {
		Set<URI> instances = new LinkedHashSet<>();
		List<Registered> registered = registered(application);
		if (registered != null) {
			registered.forEach((instance) -> instances.add(instance.uri()));
		}
		instances.add(this.usualInstances.get(application));
		return instances.stream().filter(Http::listening).toList();
	}

	/**
	 * Waits until every instance lists the entry in {@code /actuator/ownership} (or, with
	 * {@code listed} false, no longer lists it), reporting each side once all its
	 * instances have. Each instance is asked on a thread of its own: one that does not
	 * answer (a paused process keeps its port open) holds up no other. An instance that
	 * stops listening runs no more, and has nothing left to apply.
	 * @return side -> its instances that had not by {@code until}, with what each last
	 * answered (empty when every side had)
	 */
	private Map<String, Map<URI, String>> await(String module, String entry, boolean listed,
			Map<String, List<URI>> instances, long start, Instant until, String did) {
		Map<URI, String> pending = new ConcurrentHashMap<>();
		instances.values().forEach((uris) -> uris.forEach((uri) -> pending.put(uri, "no answer yet")));
		instances.forEach((side, uris) -> {
			if (uris.isEmpty()) {
				this.out.accept(side + " runs no instance: it reads the handoff when it starts");
			}
		});
		CountDownLatch done = new CountDownLatch(pending.size());
		instances.forEach((side, uris) -> uris.forEach((uri) -> Thread.ofVirtual().start(() -> {
			try {
				while (Instant.now().isBefore(until)) {
					String answer = ownership(uri, module, entry, listed);
					if (answer == null) {
						pending.remove(uri);
						reportWhenDone(side, uris, pending, start, did);
						return;
					}
					pending.put(uri, answer);
					Launcher.sleep(POLL);
				}
			}
			finally {
				done.countDown();
			}
		})));
		try {
			done.await(Math.max(0, Duration.between(Instant.now(), until).toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LaunchException("interrupted");
		}
		Map<String, Map<URI, String>> left = new LinkedHashMap<>();
		Map<URI, String> snapshot = Map.copyOf(pending);
		instances.forEach((side, uris) -> uris.stream()
			.filter(snapshot::containsKey)
			.forEach((uri) -> left.computeIfAbsent(side, (key) -> new LinkedHashMap<>()).put(uri, snapshot.get(uri))));
		return left;
	}

	private void reportWhenDone(String side, List<URI> uris, Map<URI, String> pending, long start, String did) {
		synchronized (this.out) {
			if (uris.stream().noneMatch(pending::containsKey)) {
				this.out.accept("%s %s the handoff in %.1f s%s".formatted(side, did, (System.nanoTime() - start) / 1e9,
						(uris.size() > 1) ? " (" + uris.size() + " instances)" : ""));
			}
		}
	}

	/**
	 * @return null when the instance lists the entry as wanted (or no longer runs), else
	 * what it answered
	 */
	private String ownership(URI instance, String module, String entry, boolean listed) {
		Optional<HttpResponse<String>> response = Http.get(instance.resolve("/actuator/ownership"), null);
		if (response.isEmpty()) {
			return Http.listening(instance) ? "no answer from " + instance + "/actuator/ownership" : null;
		}
		if (response.get().statusCode() != 200) {
			return instance + "/actuator/ownership answered HTTP " + response.get().statusCode()
					+ " (built before the endpoint existed? ./kit build)";
		}
		boolean has = false;
		for (JsonNode handoff : json(response.get()).path(module)) {
			has |= handoff.asString("").equals(entry);
		}
		return (has == listed) ? null : instance + (listed ? " does not list it yet" : " still lists it");
	}

	/**
	 * Takes a move that a side did not confirm back, before its instant: the entry out of
	 * the list, the route as it was, then waits for the instances that had applied the
	 * entry to drop it.
	 * @return the failure to throw, naming the side that did not confirm
	 */
	private LaunchException undo(String module, String entry, Route before, Instant handoff,
			Map<String, List<URI>> instances, Map<String, Map<URI, String>> unconfirmed) {
		handoffs().remove(module, entry);
		new Routes().switchBack(this.configRepo, before, UNDO);
		String sides = String.join(" and ", unconfirmed.keySet());
		this.out.accept(("%s did not confirm the handoff in time: undone, the entry %s removed from application.yml, "
				+ "gateway route %s back to %s (audit.log: %s)")
			.formatted(sides, entry, module, before.mode(), UNDO));
		Map<String, List<URI>> confirmed = new LinkedHashMap<>();
		instances.forEach((side, uris) -> confirmed.put(side,
				uris.stream().filter((uri) -> !unconfirmed.getOrDefault(side, Map.of()).containsKey(uri)).toList()));
		confirmed.values().removeIf(List::isEmpty);
		Map<String, Map<URI, String>> stillApplying = await(module, entry, false, confirmed, System.nanoTime(), handoff,
				"dropped");
		StringBuilder message = new StringBuilder(("cutover of %s to the %s undone: %s did not confirm the handoff %s "
				+ "by %s (%s). The entry is gone from application.yml and the route %s is back to %s, so the %s "
				+ "still owns %s and nothing was decided under the handoff. See ./kit logs %s, then run the cutover again")
			.formatted(module, to(entry), sides, entry, handoff.minus(UNDO_MARGIN), reasons(unconfirmed), module,
					before.mode(), owner(module), module, unconfirmed.keySet().iterator().next()));
		if (!stillApplying.isEmpty()) {
			message.append(". WARNING: at the handoff's instant these still applied it: ")
				.append(reasons(stillApplying));
		}
		return new LaunchException(message.toString());
	}

	private static String to(String entry) {
		return entry.substring(entry.lastIndexOf('=') + 1);
	}

	private static String reasons(Map<String, Map<URI, String>> bySide) {
		return bySide.values()
			.stream()
			.flatMap((answers) -> answers.values().stream())
			.collect(Collectors.joining("; "));
	}

	private JsonNode json(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body());
		}
		catch (RuntimeException notJson) {
			return this.json.missingNode();
		}
	}

	/**
	 * @return who owns the module after its last handoff ({@code monolith} before the
	 * first one)
	 */
	public String owner(String module) {
		return handoffs().owner(module).value();
	}

	private Handoffs handoffs() {
		return new ConfigRepo(this.configRepo).handoffs();
	}

}
