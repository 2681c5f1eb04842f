package dev.stranglerkit.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.stranglerkit.control.DeadLetters;
import dev.stranglerkit.control.Owner;

/**
 * The launcher's command line, called by {@code ./kit} (which picks the JDK, starts
 * PostgreSQL and RabbitMQ, and builds what is missing first).
 *
 * The commands it runs ({@code up}, {@code down}, {@code status}, {@code route},
 * {@code cutover}, {@code replay}, {@code compare}, {@code chaos}) are described once, in
 * {@code ./kit help} ({@code ./kit <command> --help} for one of them).
 *
 * Settings from the environment: {@code KIT_STATE} (logs and pids, default {@code .kit}),
 * {@code KIT_CONFIG_REPO} (default {@code config-repo}), {@code KIT_JAVA_OPTS},
 * {@code KIT_START_TIMEOUT} (seconds), and the credentials the applications use
 * ({@code KIT_ADMIN_*}, {@code KIT_EUREKA_*}).
 */
public final class Kit {

	/** the applications' JVM options unless {@code KIT_JAVA_OPTS} says otherwise */
	public static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m",
			"-XX:+ExitOnOutOfMemoryError");

	private Kit() {
	}

	public static void main(String[] args) {
		try {
			System.exit(run(args));
		}
		catch (LaunchException ex) {
			System.err.println("kit: " + ex.getMessage());
			System.exit(1);
		}
	}

	static int run(String[] args) {
		Map<String, String> env = System.getenv();
		Path home = Path.of(System.getProperty("kit.home", ".")).toAbsolutePath().normalize();
		Landscape landscape = new Landscape(home, home.resolve(env.getOrDefault("KIT_CONFIG_REPO", "config-repo")));
		Launcher launcher = launcher(home, env);
		URI gateway = URI.create("http://127.0.0.1:" + Landscape.PORTS.get(Landscape.GATEWAY));
		String admin = credentials(env, "KIT_ADMIN", "admin", "admin-secret");
		String command = (args.length > 0) ? args[0] : "help";
		List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
		switch (command) {
			case "up" -> {
				long start = System.nanoTime();
				List<App> apps;
				if (rest.size() == 1 && Preset.exists(rest.get(0))) {
					Preset preset = Preset.named(rest.get(0));
					apps = preset.apps().stream().map(landscape::app).toList();
					new Deployment(landscape, launcher, System.out::println, gateway, admin).apply(preset);
				}
				else {
					List<String> names = rest;
					if (names.contains(Landscape.ZIPKIN)) {
						// first, so that the applications started after it send it their
						// spans
						launcher.up(List.of(List.of(landscape.app(Landscape.ZIPKIN))));
						names = names.stream().filter((name) -> !name.equals(Landscape.ZIPKIN)).toList();
						System.out.println("Zipkin, the trace viewer: http://127.0.0.1:" + Landscape.ZIPKIN_PORT
								+ " (the applications started from now on send it their spans; restart running ones"
								+ " with ./kit down <app> && ./kit up <app>)");
					}
					// the named applications, after the control plane they all need
					apps = names.isEmpty() ? landscape.apps()
							: Stream.concat(Stream.of(Landscape.CONFIG_SERVER, Landscape.DISCOVERY), names.stream())
								.distinct()
								.map(landscape::app)
								.toList();
					launcher.up(Landscape.tiers(apps));
				}
				System.out.printf("%nThe landscape is up (%.1f s):%n", (System.nanoTime() - start) / 1e9);
				for (App app : apps) {
					System.out.printf("  %-21s %s%n", app.name(), app.url());
				}
				System.out.println("""

						the shop, through the gateway:  http://127.0.0.1:8080/api/catalog/products
						Eureka (eureka / eureka-secret): http://127.0.0.1:8761
						routes (admin / admin-secret):   http://127.0.0.1:8080/actuator/strangler
						./kit status, ./kit route inventory shadow, ./kit logs gateway, ./kit down""");
				return 0;
			}
			case "down" -> {
				if (!rest.isEmpty()) {
					for (String app : rest) {
						landscape.app(app);
						System.out.println(launcher.stop(app) ? "stopped " + app : app + " was not running");
					}
					return 0;
				}
				if (launcher.down().isEmpty()) {
					System.out.println("nothing of the kit is running");
				}
				return 0;
			}
			case "status" -> {
				System.out.print(Status.table(new Status().rows(launcher, landscape,
						URI.create("http://127.0.0.1:" + Landscape.PORTS.get(Landscape.DISCOVERY)),
						credentials(env, "KIT_EUREKA", "eureka", "eureka-secret"))));
				return 0;
			}
			case "route" -> {
				if (rest.size() < 2 || rest.size() > 3) {
					throw new LaunchException("usage: ./kit route <route> <monolith|shadow|canary|service> [percent]");
				}
				Integer percent = null;
				if (rest.size() == 3) {
					try {
						percent = Integer.valueOf(rest.get(2));
					}
					catch (NumberFormatException ex) {
						throw new LaunchException(
								"the percent is a whole number from 0 to 100, not '" + rest.get(2) + "'");
					}
				}
				Routes routes = new Routes();
				// the same switch as the migration console's, recorded in
				// config-repo/audit.log
				routes.switchRoute(landscape.configRepo(), rest.get(0), rest.get(1), percent);
				System.out.printf("config-repo/gateway.yml: %s -> %s%s%n", rest.get(0), rest.get(1),
						(percent != null) ? " " + percent + " %" : "");
				if (launcher.running(Landscape.GATEWAY).isEmpty()) {
					System.out.println("the gateway is not running: it reads the route when it starts");
					return 0;
				}
				Duration took = routes.awaitApplied(gateway, admin, rest.get(0), rest.get(1), percent,
						Duration.ofSeconds(15));
				System.out.printf("applied by the gateway in %.2f s%n", took.toMillis() / 1000.0);
				return 0;
			}
			case "cutover" -> {
				if (rest.size() != 2) {
					throw new LaunchException("usage: ./kit cutover <module> <service|monolith>");
				}
				// prints the handoff and each side's confirmation; a side that does not
				// confirm in time gets the move undone and fails it (exit status 1)
				new Cutover(landscape.configRepo()).move(rest.get(0), rest.get(1));
				if (launcher.running(Landscape.GATEWAY).isPresent()) {
					// (the module's route, now in the new owner's mode)
					Duration took = new Routes().awaitApplied(gateway, admin, rest.get(0),
							Owner.of(rest.get(1)).routeMode().value(), null, Duration.ofSeconds(15));
					System.out.printf("route applied by the gateway in %.2f s%n", took.toMillis() / 1000.0);
				}
				return 0;
			}
			case "compare" -> {
				return compare(rest, env, home, landscape, launcher, admin);
			}
			case "chaos" -> {
				return chaos(rest, env, home, landscape, launcher, admin);
			}
			case "replay" -> {
				if (rest.size() != 1) {
					throw new LaunchException("usage: ./kit replay <queue|all> (the queues: "
							+ String.join(", ", DeadLetters.queues(landscape.configRepo())) + ")");
				}
				DeadLetters deadLetters = DeadLetters.of(env);
				try {
					(rest.get(0).equals("all") ? deadLetters.replayAll(landscape.configRepo())
							: deadLetters.replay(rest))
						.forEach((queue, count) -> System.out.printf("%s.dlq: %d message%s sent back to %s%n", queue,
								count, (count == 1) ? "" : "s", queue));
				}
				catch (DeadLetters.ReplayException ex) {
					throw new LaunchException(ex.getMessage());
				}
				return 0;
			}
			default -> {
				System.err.println(
						"launcher commands: up [app...], down [app...], status, route <route> <mode> [percent], cutover <module> <service|monolith>, replay <queue|all>");
				return 2;
			}
		}
	}

	/**
	 * {@code compare [preset...] [--rate N] [--duration S] [--warm-up S]}: by default the
	 * deployment before extraction against the one after.
	 */
	static int compare(List<String> args, Map<String, String> env, Path home, Landscape landscape, Launcher launcher,
			String admin) {
		List<Preset> presets = new java.util.ArrayList<>();
		Map<String, Double> numbers = new java.util.HashMap<>(
				Map.of("--rate", 25.0, "--duration", 60.0, "--warm-up", 20.0));
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (numbers.containsKey(arg)) {
				if (i + 1 == args.size()) {
					throw new LaunchException(arg + " needs a number");
				}
				try {
					double value = Double.parseDouble(args.get(++i));
					if (!(value >= 0) || (arg.equals("--rate") && value == 0)
							|| (arg.equals("--duration") && value < 1)) {
						throw new NumberFormatException();
					}
					numbers.put(arg, value);
				}
				catch (NumberFormatException ex) {
					throw new LaunchException(
							arg + " is a positive number (requests/s or seconds), not '" + args.get(i) + "'");
				}
			}
			else {
				presets.add(Preset.named(arg));
			}
		}
		if (presets.isEmpty()) {
			presets = List.of(Preset.named("before"), Preset.named("after"));
		}
		Path reports = home.resolve(env.getOrDefault("KIT_STATE", ".kit")).resolve("compare");
		return new Compare(presets, numbers.get("--rate"), Duration.ofMillis((long) (numbers.get("--duration") * 1000)),
				Duration.ofMillis((long) (numbers.get("--warm-up") * 1000)), reports)
			.run(landscape, launcher, System.out::println, admin);
	}

	/**
	 * {@code chaos [preset] [--duration S] [--seed N] [--faults kill,broker,db,control,latency]
	 * [--rate R]}: by default the deployment after extraction, 600 s, every fault kind 10
	 * requests/s, and a seed of its own (printed, so the run can be repeated).
	 */
	static int chaos(List<String> args, Map<String, String> env, Path home, Landscape landscape, Launcher launcher,
			String admin) {
		Preset preset = Preset.named("after");
		double rate = 10;
		long duration = 600;
		long seed = new java.util.Random().nextLong(1_000_000);
		java.util.Set<Chaos.Kind> kinds = null;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("--")) {
				preset = Preset.named(arg);
				continue;
			}
			if (i + 1 == args.size()) {
				throw new LaunchException(arg + " needs a value");
			}
			String value = args.get(++i);
			try {
				switch (arg) {
					case "--rate" -> rate = positive(arg, Double.parseDouble(value));
					case "--duration" -> duration = (long) positive(arg, Long.parseLong(value));
					case "--seed" -> seed = Long.parseLong(value);
					case "--faults" -> {
						kinds = java.util.EnumSet.noneOf(Chaos.Kind.class);
						for (String kind : value.split(",")) {
							kinds.add(Chaos.Kind.named(kind));
						}
					}
					default ->
						throw new LaunchException("unknown option " + arg + " (--duration, --seed, --faults, --rate)");
				}
			}
			catch (NumberFormatException ex) {
				throw new LaunchException(arg + " needs a number, not '" + value + "'");
			}
		}
		if (kinds == null) {
			kinds = java.util.EnumSet.allOf(Chaos.Kind.class);
		}
		Path reports = home.resolve(env.getOrDefault("KIT_STATE", ".kit")).resolve("chaos");
		return new Chaos(preset, rate, Duration.ofSeconds(duration), seed, kinds, reports).run(landscape, launcher,
				System.out::println, admin);
	}

	private static double positive(String option, double value) {
		if (!(value > 0)) {
			throw new LaunchException(option + " must be positive, not " + value);
		}
		return value;
	}

	static Launcher launcher(Path home, Map<String, String> env) {
		Path state = home.resolve(env.getOrDefault("KIT_STATE", ".kit"));
		List<String> javaOptions = env.containsKey("KIT_JAVA_OPTS")
				? List.of(env.get("KIT_JAVA_OPTS").trim().split("\\s+")) : DEFAULT_JAVA_OPTIONS;
		Duration timeout = Duration.ofSeconds(Long.parseLong(env.getOrDefault("KIT_START_TIMEOUT", "240")));
		return new Launcher(state, javaOptions, Map.of(), System.out::println, timeout);
	}

	static String credentials(Map<String, String> env, String prefix, String user, String password) {
		return env.getOrDefault(prefix + "_USER", user) + ":" + env.getOrDefault(prefix + "_PASSWORD", password);
	}

}
