package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code ./kit scale <app> <n>}: n instances of an application on this machine, as
 * Kubernetes runs replicas. The first instance is the landscape's own, on its usual port;
 * the k-th listens {@link #STEP} × (k-1) above it (the monolith: 8081, 8181, 8281), with
 * a log and a pid file of its own ({@code <app>-<port>}), and registers in Eureka under
 * the same name. From there the landscape treats them alike: the gateway balances between
 * them ({@code lb://}) and ejects one that refuses connections, a cutover waits for every
 * instance of both sides to confirm the handoff, each gateway applies a route switch from
 * the bus, and the instances of one application share its database, its outbox and its
 * consumer queue.
 * <p>
 * The missing instances start after the control plane, health-gated and in Eureka before
 * the command returns; those above n stop gracefully (each deregisters first), the
 * highest port first. An instance that fails to start is stopped alone: the rest of the
 * landscape runs on.
 */
final class Scale {

	/** the applications that may run as several instances */
	static final List<String> SCALABLE = List.of(Landscape.MONOLITH, "inventory-service", "notification-service",
			Landscape.GATEWAY);

	/** how far apart the ports of an application's instances are */
	static final int STEP = 100;

	/**
	 * at most this many instances of one application: their ports stay clear of the other
	 * applications', and two cores run short long before
	 */
	static final int MAX = 5;

	private final Landscape landscape;

	private final Launcher launcher;

	private final Consumer<String> out;

	Scale(Landscape landscape, Launcher launcher, Consumer<String> out) {
		this.landscape = landscape;
		this.launcher = launcher;
		this.out = out;
	}

	/**
	 * @return the port of the application's n-th instance (1: the landscape's own)
	 */
	static int port(String name, int instance) {
		return Landscape.PORTS.get(name) + STEP * (instance - 1);
	}

	/**
	 * @return the application's n-th instance (1: the landscape's own)
	 */
	App instance(String name, int instance) {
		App first = this.landscape.app(name);
		return (instance == 1) ? first : first.instance(port(name, instance));
	}

	/**
	 * Brings the application to n running instances.
	 * @return the ids of the instances that run afterwards, lowest port first
	 * @throws LaunchException for an application that cannot be scaled, a count out of
	 * range, or an instance that did not start
	 */
	List<String> to(String name, int count) {
		check(name, count);
		for (String id : this.launcher.instances(name).reversed()) {
			if (Launcher.instancePort(id) > port(name, Math.max(count, 1))) {
				this.launcher.stop(id);
				this.out.accept("stopped " + id);
			}
		}
		if (count == 0 && this.launcher.stop(name)) {
			this.out.accept("stopped " + name);
		}
		List<App> missing = IntStream.rangeClosed(1, count)
			.mapToObj((n) -> instance(name, n))
			.filter((app) -> this.launcher.running(app.id()).isEmpty())
			.toList();
		if (!missing.isEmpty()) {
			refuseNewerJarBesideOlder(name, missing);
			// the control plane first, as ./kit up <app> starts it (running ones are
			// left as they are)
			List<App> apps = Stream
				.concat(Stream.of(this.landscape.app(Landscape.CONFIG_SERVER), this.landscape.app(Landscape.DISCOVERY)),
						missing.stream())
				.toList();
			this.launcher.upBeside(Landscape.tiers(apps));
		}
		return this.launcher.allInstances(name);
	}

	/**
	 * Refuses to start instances of a jar built after the running ones started: they
	 * would run other code beside them (from the same extracted folder, which the AOT
	 * cache re-extracts for the new jar).
	 */
	private void refuseNewerJarBesideOlder(String name, List<App> missing) {
		Path jar = missing.get(0).jar();
		for (String id : this.launcher.allInstances(name)) {
			Optional<Instant> started = this.launcher.running(id).flatMap((process) -> process.info().startInstant());
			try {
				if (started.isPresent() && Files.getLastModifiedTime(jar).toInstant().isAfter(started.get())) {
					throw new LaunchException(("%s was built again after %s started: a further instance would run "
							+ "other code beside it. Restart them first: ./kit down %s && ./kit scale %s %d")
						.formatted(name, id, name, name, missing.size() + this.launcher.allInstances(name).size()));
				}
			}
			catch (IOException ex) {
				throw new LaunchException("cannot read " + jar + ": " + ex.getMessage());
			}
		}
	}

	static void check(String name, int count) {
		if (name.equals(Landscape.CONFIG_SERVER) || name.equals(Landscape.DISCOVERY)) {
			throw new LaunchException(name + " runs as one instance here: the applications find the control "
					+ "plane on its usual port (on Kubernetes, deploy/k8s runs it behind a Service)");
		}
		if (!SCALABLE.contains(name)) {
			throw new LaunchException(
					"unknown application '" + name + "' (one of " + String.join(", ", SCALABLE) + ")");
		}
		if (count < 0 || count > MAX) {
			throw new LaunchException(
					"%d instances of %s: from 0 to %d on one machine (0 stops every one)".formatted(count, name, MAX));
		}
	}

}
