package dev.stranglerkit.control;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * Moves a module's ownership and its gateway route together, through config-repo, and
 * lets the move stand only once both sides confirm it: {@code ./kit cutover <module>
 * <service|monolith>} and the console's cutover. Every order has exactly one decider only
 * if the monolith and the service apply the same handoff before its instant; each gets it
 * on its own (config server, then a bus refresh), so {@link #move} checks instead of
 * trusting:
 * <ol>
 * <li>It refuses, changing nothing, when the side that takes over has no healthy instance
 * (UP in Eureka and answering health UP; when Eureka does not answer, the instance on the
 * application's usual port): the module's orders would have no decider.</li>
 * <li>It appends a handoff ({@code <instant>=<owner>}, {@link #LEAD} ahead) to
 * {@code kit.ownership.<module>} ({@link Handoffs}) and switches the route to the new
 * owner (mode and owner), recorded in {@code config-repo/audit.log} like every
 * switch.</li>
 * <li>It waits until every running instance of both sides ({@link Instances#running})
 * lists the handoff in {@code /actuator/ownership}, and reports each side's
 * confirmation.</li>
 * <li>If a side has not confirmed {@link #UNDO_MARGIN} before the instant, it undoes the
 * move: the entry leaves the list (it has not taken effect, so nothing was decided under
 * it), the route goes back as it was (recorded in the audit log, {@code via}
 * {@link #UNDO}), it waits until the instances that had confirmed no longer list the
 * entry, and fails naming the side that did not confirm.</li>
 * </ol>
 * Rolling back is the same move in the other direction. A side with no instance running
 * has nothing to confirm: it reads the handoff when it starts.
 */
public final class Cutover {

	/** module -> the service that takes it over */
	public static final Map<String, String> SERVICES = Map.of("notifications", "notification-service", "inventory",
			"inventory-service");

	/** the application that owns every module until its first handoff */
	public static final String MONOLITH = "monolith";

	/**
	 * How far ahead a handoff is set: time for both sides to confirm it (the bus delivers
	 * a change within about a second; a refresh of every application on busy cores can
	 * keep a side from answering for several) and, when one does not, for the undo to
	 * reach every side before the instant ({@link #UNDO_MARGIN}): 10 s to confirm.
	 */
	public static final Duration LEAD = Duration.ofSeconds(15);

	/**
	 * How long before the handoff's instant both sides must have confirmed it. An undo
	 * travels the same way as the handoff (file, config server, bus refresh): this leaves
	 * it several times what that takes on a busy machine, so that a side which applied
	 * the handoff drops it again before the instant and never decides under it alone.
	 */
	public static final Duration UNDO_MARGIN = Duration.ofSeconds(5);

	/** what {@code audit.log} says came from an undo */
	public static final String UNDO = "cutover-undo";

	/** how often an instance is asked again */
	private static final Duration POLL = Duration.ofMillis(100);

	private final ConfigRepo repo;

	private final Instances instances;

	private final String user;

	private final String via;

	private final Consumer<String> out;

	/**
	 * @param user who cuts over (the console's logged-in user, the OS user for the CLI)
	 * @param via where the cutover comes from, as the audit log records it ({@code cli},
	 * {@code console})
	 * @param out where the progress goes, a line at a time
	 */
	public Cutover(ConfigRepo repo, Instances instances, String user, String via, Consumer<String> out) {
		this.repo = repo;
		this.instances = instances;
		this.user = user;
		this.via = via;
		this.out = out;
	}

	/**
	 * Moves the module and its route, confirmed by both sides (see the class).
	 * @param owner who takes the module over
	 * @return the instant from which the new owner owns the module's events
	 * @throws RouteChangeException for an unknown module (nothing written)
	 * @throws CutoverException when the side that takes over has no healthy instance
	 * (nothing written), or when a side did not confirm in time (the move undone)
	 */
	public Instant move(String module, Owner owner) {
		String service = service(module);
		requireOwner(owner);
		String taker = (owner == Owner.SERVICE) ? service : MONOLITH;
		requireHealthyInstance(taker, module);
		Route before = this.repo.routes()
			.routes()
			.stream()
			.filter((route) -> route.name().equals(module))
			.findFirst()
			.orElseThrow(() -> new RouteChangeException("config-repo/gateway.yml has no route " + module));
		long start = System.nanoTime();
		Instant handoff = write(module, owner);
		String entry = new Handoff(handoff, owner).toString();
		this.out.accept("config-repo: %s owned by the %s for events from %s (application.yml); gateway route %s -> %s"
			.formatted(module, owner, handoff, module, owner.routeMode()));
		Map<String, List<URI>> running = new LinkedHashMap<>();
		for (String side : List.of(MONOLITH, service)) {
			running.put(side, this.instances.running(side));
		}
		Map<String, Map<URI, String>> unconfirmed = await(module, entry, true, running, start,
				handoff.minus(UNDO_MARGIN), "confirmed");
		if (running.get(taker).stream().noneMatch(Http::listening)) {
			// it stopped since the check: nothing would decide after the instant
			unconfirmed.put(taker, Map.of(this.instances.usual(taker), taker + " stopped during the cutover"));
		}
		if (unconfirmed.isEmpty()) {
			return handoff;
		}
		throw undo(module, entry, before, handoff, running, unconfirmed);
	}

	/**
	 * Writes the handoff and switches the route without asking anyone: for when no
	 * process of the landscape runs, so that each reads the move when it starts (a preset
	 * of {@code ./kit up} on a stopped landscape).
	 * @return the handoff's instant
	 * @throws RouteChangeException for an unknown module (nothing written)
	 */
	public Instant write(String module, Owner owner) {
		service(module);
		requireOwner(owner);
		Instant handoff = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
		this.repo.handoffs().append(module, new Handoff(handoff, owner).toString());
		this.repo.switchRoute(module, owner.routeMode(), null, owner, this.user, this.via);
		return handoff;
	}

	/**
	 * @return who owns the module after its last handoff
	 */
	public Owner owner(String module) {
		return this.repo.handoffs().owner(module);
	}

	private static String service(String module) {
		String service = (module != null) ? SERVICES.get(module) : null;
		if (service == null) {
			throw new RouteChangeException("no extracted service for module '" + module + "' (modules: "
					+ String.join(", ", SERVICES.keySet().stream().sorted().toList()) + ")");
		}
		return service;
	}

	private static void requireOwner(Owner owner) {
		if (owner == null) {
			throw new RouteChangeException("a cutover moves a module to 'service' or back to 'monolith'");
		}
	}

	/**
	 * @return the side a user named as a cutover's target ({@code ./kit cutover}, the
	 * console)
	 * @throws RouteChangeException for anything but {@code service} or {@code monolith}
	 */
	public static Owner target(String to) {
		if (!Owner.MONOLITH.value().equals(to) && !Owner.SERVICE.value().equals(to)) {
			throw new RouteChangeException("a cutover moves a module to 'service' or back to 'monolith'"
					+ ((to != null) ? ", not '" + to + "'" : ""));
		}
		return Owner.of(to);
	}

	/**
	 * @throws CutoverException unless Eureka has an instance of the application UP that
	 * answers health UP (when Eureka does not answer: the instance on its usual port)
	 */
	private void requireHealthyInstance(String application, String module) {
		Optional<List<Instances.Registered>> registered = this.instances.registered(application);
		String why;
		if (registered.isEmpty()) {
			URI usual = this.instances.usual(application);
			if (Instances.healthy(usual)) {
				return;
			}
			why = "Eureka (" + this.instances.eureka() + ") does not answer, and nothing healthy answers on " + usual;
		}
		else {
			List<URI> up = registered.get()
				.stream()
				.filter((instance) -> instance.status().equals("UP"))
				.map(Instances.Registered::uri)
				.toList();
			if (up.stream().anyMatch(Instances::healthy)) {
				return;
			}
			why = up.isEmpty() ? "Eureka lists no instance of it UP"
					: "Eureka lists " + up + " UP, but none answers health UP";
		}
		throw new CutoverException("%s has no healthy instance (%s), so nothing would decide the %s after the handoff: "
			.formatted(application, why, module) + "cutover refused, nothing changed. Start it first: ./kit up "
				+ application, false);
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
					Thread.sleep(POLL);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
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
		Optional<HttpResponse<String>> response = this.instances.actuator(instance, "ownership");
		if (response.isEmpty()) {
			return Http.listening(instance) ? "no answer from " + instance + "/actuator/ownership" : null;
		}
		if (response.get().statusCode() != 200) {
			return instance + "/actuator/ownership answered HTTP " + response.get().statusCode()
					+ " (built before the endpoint existed? ./kit build)";
		}
		boolean has = false;
		for (JsonNode handoff : Instances.json(response.get()).path(module)) {
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
	private CutoverException undo(String module, String entry, Route before, Instant handoff,
			Map<String, List<URI>> instances, Map<String, Map<URI, String>> unconfirmed) {
		this.repo.handoffs().remove(module, entry);
		this.repo.switchRoute(before.name(), before.mode(), before.canaryPercent(), before.owner(), this.user, UNDO);
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
			.formatted(module, entry.substring(entry.lastIndexOf('=') + 1), sides, entry, handoff.minus(UNDO_MARGIN),
					reasons(unconfirmed), module, before.mode(), owner(module), module,
					unconfirmed.keySet().iterator().next()));
		if (!stillApplying.isEmpty()) {
			message.append(". WARNING: at the handoff's instant these still applied it: ")
				.append(reasons(stillApplying));
		}
		return new CutoverException(message.toString(), true);
	}

	private static String reasons(Map<String, Map<URI, String>> bySide) {
		return bySide.values()
			.stream()
			.flatMap((answers) -> answers.values().stream())
			.collect(Collectors.joining("; "));
	}

}
