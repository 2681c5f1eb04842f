package dev.stranglerkit.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Credential;
import dev.stranglerkit.control.DeadLetters;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.control.SagaStyleFile;
import dev.stranglerkit.control.Tls;
import dev.stranglerkit.k8s.Manifests;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code ./kit}: every command of the kit, each with its usage written once, here, for
 * {@code ./kit help}, {@code ./kit <command> --help} and the shell completion
 * ({@code ./kit completion}). The script {@code ./kit} picks the JDK, starts PostgreSQL
 * and RabbitMQ and builds what is missing before it hands the command line to this.
 *
 * Settings from the environment: {@code KIT_STATE} (logs and pids, default {@code .kit}),
 * {@code KIT_CONFIG_REPO} (default {@code config-repo}), {@code KIT_AOT_CACHE} (the
 * extracted jars and their AOT caches, default the state's {@code apps/}),
 * {@code KIT_JAVA_OPTS}, {@code KIT_START_TIMEOUT} (seconds), and the credentials the
 * applications use ({@code KIT_ADMIN_*}, {@code KIT_EUREKA_*}).
 */
@Command(name = "./kit", customSynopsis = "./kit <command> [argument...]", commandListHeading = "%n",
		footer = { "",
				"./kit starts PostgreSQL and RabbitMQ when they are installed but stopped, and creates the databases"
						+ " it needs and the tests' RabbitMQ virtual hosts (shop_test, shop_landscape_test).",
				"Completion of the commands in bash: source <(./kit completion)" },
		subcommands = { Kit.Up.class, Kit.Down.class, Kit.ScaleCommand.class, Kit.StatusCommand.class, Kit.Route.class,
				Kit.CutoverCommand.class, Kit.SagaCommand.class, Kit.CompareCommand.class, Kit.Replay.class,
				Kit.ChaosCommand.class, Tools.Logs.class, Tools.Build.class, Tools.Run.class, Tools.Test.class,
				Tools.Arch.class, Tools.Bench.class, Tools.DoctorCommand.class, Tools.ResetCommand.class,
				Tools.Certs.class, Deploy.Images.class, Deploy.K8s.class, Kit.HelpCommand.class, Kit.Completion.class })
public final class Kit implements Runnable {

	/** the applications' JVM options unless {@code KIT_JAVA_OPTS} says otherwise */
	public static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx384m",
			"-XX:+ExitOnOutOfMemoryError");

	@Option(names = { "-h", "--help" }, usageHelp = true, hidden = true, scope = ScopeType.INHERIT)
	boolean helpAsked;

	@Spec
	CommandSpec spec;

	final Map<String, String> env = System.getenv();

	final Path home = Path.of(System.getProperty("kit.home", ".")).toAbsolutePath().normalize();

	public static void main(String[] args) {
		System.exit(commandLine().execute(args));
	}

	/**
	 * The command line of {@code ./kit}: a failure the kit explains
	 * ({@link LaunchException}) is printed as {@code kit: <why>} and ends it with 1; a
	 * command line it does not understand gets picocli's message, the usage, and 2.
	 */
	static CommandLine commandLine() {
		CommandLine kit = new CommandLine(new Kit()).setUsageHelpWidth(100)
			.setExecutionExceptionHandler((ex, command, parsed) -> {
				if (ex instanceof LaunchException) {
					command.getErr().println("kit: " + ex.getMessage());
					return 1;
				}
				throw ex;
			});
		kit.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Kit::commandList);
		kit.getSubcommands()
			.values()
			.forEach((command) -> command.getCommandSpec()
				.usageMessage()
				.descriptionHeading("%n")
				.parameterListHeading("%n")
				.optionListHeading("%n"));
		// ./kit test -Dtest=X: options of Maven's, not the kit's
		kit.getSubcommands().get("test").setUnmatchedOptionsArePositionalParams(true);
		return kit;
	}

	/** {@code ./kit} alone: the commands */
	@Override
	public void run() {
		this.spec.commandLine().usage(this.spec.commandLine().getOut());
	}

	/**
	 * The commands in {@code ./kit help}: each one's forms, the last one beside what the
	 * command does.
	 */
	private static String commandList(Help help) {
		int indent = 19;
		StringBuilder list = new StringBuilder();
		for (CommandLine command : help.commandSpec().subcommands().values()) {
			List<String> forms = command.getHelp()
				.synopsis(0)
				.lines()
				.map((form) -> "  " + form.strip().replaceFirst("^\\./kit ", ""))
				.filter((form) -> !form.isBlank())
				.toList();
			forms.subList(0, forms.size() - 1).forEach((form) -> list.append(form).append('\n'));
			String beside = forms.get(forms.size() - 1);
			if (beside.length() >= indent) {
				list.append(beside).append('\n');
				beside = "";
			}
			for (String line : wrap(String.join(" ", command.getCommandSpec().usageMessage().description()),
					help.commandSpec().usageMessage().width() - indent)) {
				list.append(("%-" + indent + "s").formatted(beside)).append(line).append('\n');
				beside = "";
			}
		}
		return list.toString();
	}

	/** The words of the text in lines of at most the width (or one word, if longer). */
	private static List<String> wrap(String text, int width) {
		List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String word : text.split(" ")) {
			if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
				lines.add(line.toString());
				line.setLength(0);
			}
			line.append(line.isEmpty() ? "" : " ").append(word);
		}
		lines.add(line.toString());
		return lines;
	}

	Path state() {
		return this.home.resolve(this.env.getOrDefault("KIT_STATE", ".kit"));
	}

	/**
	 * @return the landscape; with mutual TLS while one runs so, or when config-repo makes
	 * it the default ({@link Mtls}): then this process speaks HTTPS to it too (the
	 * certificates are {@code ./kit up}'s to issue)
	 */
	Landscape landscape() {
		Landscape landscape = new Landscape(this.home, configRepo());
		landscape = Relay.running(state()).map(landscape::withRelay).orElse(landscape);
		Mtls mtls = new Mtls(state());
		if (!mtls.on(new ConfigRepo(landscape.configRepo()))) {
			return landscape;
		}
		mtls.client();
		return landscape.withMtls(mtls.pki());
	}

	/**
	 * @return the config repository ({@code KIT_CONFIG_REPO}, default config-repo)
	 */
	Path configRepo() {
		return this.home.resolve(this.env.getOrDefault("KIT_CONFIG_REPO", "config-repo"));
	}

	Launcher launcher() {
		return launcher(this.home, this.env);
	}

	static URI local(String app) {
		return Tls.local(Landscape.PORTS.get(app));
	}

	/**
	 * Waits until every running gateway (each instance of {@code ./kit scale gateway})
	 * applies the route's new mode (and percent), and says how long each took; a stopped
	 * gateway reads the route when it starts.
	 */
	void awaitGateway(String route, Mode mode, Integer percent) {
		Launcher launcher = launcher();
		List<String> gateways = launcher.allInstances(Landscape.GATEWAY);
		if (gateways.isEmpty()) {
			System.out.println("the gateway is not running: it reads the route when it starts");
			return;
		}
		List<URI> urls = launcher.urls(Landscape.GATEWAY);
		Map<URI, Duration> took = new Routes().awaitAppliedBy(urls, admin(), route, mode, percent,
				Duration.ofSeconds(15));
		for (int i = 0; i < gateways.size(); i++) {
			System.out.printf("route applied by %s in %.2f s%n",
					(gateways.size() == 1) ? "the gateway" : gateways.get(i),
					took.get(urls.get(i)).toMillis() / 1000.0);
		}
	}

	String admin() {
		return Credential.ADMIN.from(this.env);
	}

	static Launcher launcher(Path home, Map<String, String> env) {
		Path state = home.resolve(env.getOrDefault("KIT_STATE", ".kit"));
		List<String> javaOptions = env.containsKey("KIT_JAVA_OPTS")
				? List.of(env.get("KIT_JAVA_OPTS").trim().split("\\s+")) : DEFAULT_JAVA_OPTIONS;
		Duration timeout = Duration.ofSeconds(Long.parseLong(env.getOrDefault("KIT_START_TIMEOUT", "240")));
		Launcher launcher = new Launcher(state, javaOptions, Map.of(), System.out::println, timeout);
		// landscapes of several state folders (benchmarks, the tests) can share one
		// recording
		return env.containsKey("KIT_AOT_CACHE") ? launcher.aotCacheIn(home.resolve(env.get("KIT_AOT_CACHE")))
				: launcher;
	}

	/**
	 * Runs a command in the kit's folder, in this terminal.
	 * @return its exit status
	 */
	int exec(List<String> command) {
		return exec(new ProcessBuilder(command).directory(this.home.toFile()).inheritIO());
	}

	/**
	 * Runs a command in the kit's folder, its output to a log file.
	 * @return its exit status
	 */
	int exec(List<String> command, Path log) {
		try {
			Files.createDirectories(log.getParent());
		}
		catch (IOException ex) {
			throw new LaunchException("cannot write " + log + ": " + ex.getMessage());
		}
		return exec(new ProcessBuilder(command).directory(this.home.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile()));
	}

	private static int exec(ProcessBuilder builder) {
		List<String> command = builder.command();
		try {
			return builder.start().waitFor();
		}
		catch (IOException ex) {
			throw new LaunchException(command.get(0) + " could not run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LaunchException("interrupted");
		}
	}

	/** A step of the kit's own, in bold, as {@code ./kit} prints them. */
	static void say(String step) {
		System.out.println("\033[1m==>\033[0m " + step);
	}

	/**
	 * A command of {@code ./kit}: the kit's settings at hand, its exit status the result.
	 */
	abstract static class KitCommand implements Callable<Integer> {

		@ParentCommand
		Kit kit;

	}

	@Command(name = "up",
			customSynopsis = { "./kit up [app...]", "       ./kit up zipkin [app...]", "       ./kit up <preset>" },
			description = "build what is missing and start the landscape (config-server, discovery, monolith, "
					+ "extracted services, gateway), or the named applications after the control plane, in "
					+ "health-gated order; ends with the URLs. zipkin: the trace viewer (Zipkin, "
					+ "http://127.0.0.1:9411) first, each application started after it sending it its spans. "
					+ "<preset>: bring the landscape to a deployment: before (every route to the monolith), after "
					+ "(inventory and notifications extracted), or a guide step: step-3 to step-6")
	static final class Up extends KitCommand {

		@Parameters(paramLabel = "app", arity = "0..*",
				description = "applications of the landscape, zipkin, or one preset")
		List<String> names = new ArrayList<>();

		@Option(names = "--mtls",
				description = "every application with its own certificate (.kit/pki), HTTPS with client "
						+ "certificates on every hop, each API open to the gateway's identity only; until ./kit down "
						+ "(kit.mtls.enabled in config-repo/application.yml makes it the default)")
		boolean mtls;

		@Option(names = "--relay", paramLabel = "outbox|cdc",
				description = "how the applications' events leave their outbox: outbox (the application sends each "
						+ "after its commit) or cdc (Debezium reads them from PostgreSQL's write-ahead log; ./kit sets "
						+ "wal_level = logical first, which restarts PostgreSQL once); until ./kit down "
						+ "(kit.messaging.relay in config-repo sets it per application)")
		String relay;

		@Override
		public Integer call() {
			long start = System.nanoTime();
			if (this.relay != null) {
				Relay.start(this.kit.state(), this.relay);
			}
			Landscape landscape = this.kit.landscape();
			if (this.mtls || landscape.mtls()) {
				Mtls mtls = new Mtls(this.kit.state());
				mtls.start(this.kit.env);
				landscape = landscape.withMtls(mtls.pki());
			}
			Launcher launcher = this.kit.launcher();
			List<App> apps;
			if (this.names.size() == 1 && Preset.exists(this.names.get(0))) {
				Preset preset = Preset.named(this.names.get(0));
				apps = preset.apps().stream().map(landscape::app).toList();
				new Deployment(landscape, launcher, System.out::println, local(Landscape.GATEWAY), this.kit.admin())
					.apply(preset);
			}
			else {
				List<String> names = this.names;
				if (names.contains(Landscape.ZIPKIN)) {
					fetchZipkin();
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
			// what runs now: what this command started, and what ran before it
			List<App> running = landscape.apps()
				.stream()
				.filter((app) -> apps.contains(app) || launcher.running(app.name()).isPresent())
				.toList();
			for (App app : running) {
				System.out.printf("  %-21s %s%n", app.name(), app.url());
			}
			List<String> names = running.stream().map(App::name).toList();
			List<String> next = new ArrayList<>();
			if (names.contains(Landscape.GATEWAY)) {
				next.add("the shop, through the gateway:  http://127.0.0.1:8080/api/catalog/products");
			}
			next.add("the migration console (%s):   http://127.0.0.1:8888/console".formatted(user(Credential.CONSOLE)));
			if (names.contains(Landscape.GATEWAY)) {
				next.add("routes (%s):                  http://127.0.0.1:8080/actuator/strangler"
					.formatted(user(Credential.ADMIN)));
			}
			next.add("Eureka (%s):                 http://127.0.0.1:8761".formatted(user(Credential.EUREKA)));
			next.add("(each user's password: README, \"Safe by default\")");
			next.add("./kit status, ./kit route inventory shadow, ./kit logs gateway, ./kit down");
			System.out.println(("\n" + String.join("\n", next)).replace("http://", Tls.scheme() + "://"));
			if (landscape.mtls()) {
				System.out.println("""
						mutual TLS: every hop is HTTPS with client certificates (the CA and each identity's certificate
						in %1$s); a call as the operator:
						  curl --cacert %1$s/ca.crt --cert %1$s/operator.crt --key %1$s/operator.key -u admin:... \\
						    https://127.0.0.1:8081/actuator/info"""
					.formatted(this.kit.home.relativize(new Mtls(this.kit.state()).pki().dir())));
			}
			return 0;
		}

		/** the user a credential names here (its password is not printed) */
		private String user(Credential credential) {
			return credential.from(this.kit.env).split(":", 2)[0];
		}

		/** Zipkin's server, from Maven Central into the local repository, once. */
		private void fetchZipkin() {
			if (Files.isRegularFile(Landscape.ZIPKIN_JAR)) {
				return;
			}
			String artifact = "io.zipkin:zipkin-server:" + Landscape.ZIPKIN_VERSION + ":jar:exec";
			say("Fetching Zipkin's server " + Landscape.ZIPKIN_VERSION + " (the trace viewer) from Maven Central");
			if (this.kit.exec(List.of("mvn", "-B", "-ntp", "-q", "dependency:get", "-Dartifact=" + artifact,
					"-Dtransitive=false")) != 0) {
				throw new LaunchException("could not fetch " + artifact);
			}
		}

	}

	@Command(name = "down", description = "stop every application of the kit, or the named ones (gracefully)")
	static final class Down extends KitCommand {

		@Parameters(paramLabel = "app", arity = "0..*", description = "the applications to stop (default: all)")
		List<String> apps = new ArrayList<>();

		@Option(names = "--clean",
				description = "then drop what would outlive the landscape: the CDC relays' replication slots "
						+ "that nothing reads (each keeps PostgreSQL's write-ahead log until the disk is full)")
		boolean clean;

		@Override
		public Integer call() {
			Launcher launcher = this.kit.launcher();
			if (!this.apps.isEmpty()) {
				Landscape landscape = this.kit.landscape();
				for (String app : this.apps) {
					landscape.app(app);
					// its further instances too (./kit scale)
					for (String instance : launcher.instances(app)) {
						launcher.stop(instance);
						System.out.println("stopped " + instance);
					}
					System.out.println(launcher.stop(app) ? "stopped " + app : app + " was not running");
				}
			}
			else {
				if (launcher.down().isEmpty()) {
					System.out.println("nothing of the kit is running");
				}
				// the next ./kit up is plaintext again, with the outbox relay, unless
				// told
				// otherwise
				new Mtls(this.kit.state()).stopped();
				Relay.stopped(this.kit.state());
			}
			if (this.clean) {
				List<ReplicationSlots.Slot> dropped = new ReplicationSlots(this.kit.env).dropUnread();
				dropped
					.forEach((slot) -> System.out.println("dropped the replication slot " + slot.name() + " (database "
							+ slot.database() + ", " + ReplicationSlots.size(slot.retained()) + " of log)"));
				if (dropped.isEmpty()) {
					System.out.println("no replication slot to drop");
				}
			}
			return 0;
		}

	}

	@Command(name = "scale",
			description = "run n instances of an application (monolith, inventory-service, notification-service, "
					+ "gateway; at most 5): the first on its usual port, each further one 100 above the one before "
					+ "(monolith: 8081, 8181, 8281), all registered in Eureka under the application's name; starts "
					+ "the missing ones after the control plane and stops those above n gracefully; ./kit status "
					+ "lists them")
	static final class ScaleCommand extends KitCommand {

		@Parameters(index = "0", paramLabel = "<app>", description = "the application")
		String app;

		@Parameters(index = "1", paramLabel = "<n>", description = "how many instances run afterwards (0 stops all)")
		int count;

		@Override
		public Integer call() {
			Scale.check(this.app, this.count);
			List<String> running = new Scale(this.kit.landscape(), this.kit.launcher(), System.out::println)
				.to(this.app, this.count);
			System.out.printf("%s: %d instance(s)%s%n", this.app, running.size(),
					running.isEmpty() ? "" : " (" + String.join(", ", running) + ")");
			if (this.app.equals(Landscape.GATEWAY) && running.size() > 1) {
				System.out.println("each gateway answers on its own port: put a load balancer in front of them "
						+ "(on Kubernetes, the gateway's Service); each applies a route switch from the bus");
			}
			return 0;
		}

	}

	@Command(name = "status", description = "each application: pid, port, health, registered in Eureka, memory")
	static final class StatusCommand extends KitCommand {

		@Override
		public Integer call() {
			List<Status.Row> rows = new Status().rows(this.kit.launcher(), this.kit.landscape(),
					local(Landscape.DISCOVERY), Credential.EUREKA.from(this.kit.env));
			System.out.print(Status.table(rows));
			if (rows.stream().allMatch((row) -> row.pid() == null)) {
				System.out.println("nothing of the kit is running: ./kit up starts it");
			}
			return 0;
		}

	}

	@Command(name = "route",
			description = "switch a strangler route in config-repo/gateway.yml (recorded in config-repo/audit.log) "
					+ "and wait until the gateway applies it; the same switch is on http://127.0.0.1:8888/console")
	static final class Route extends KitCommand {

		@Parameters(index = "0", paramLabel = "<route>", description = "the route: a module's name (inventory, ...)")
		String route;

		@Parameters(index = "1", paramLabel = "<mode>", description = "monolith, shadow, canary or service")
		String mode;

		@Parameters(index = "2", paramLabel = "percent", arity = "0..1",
				description = "canary: the share sent to the service, 0 to 100")
		Integer percent;

		@Option(names = "--k8s", paramLabel = "overlay", arity = "0..1", fallbackValue = "istio",
				description = "Kubernetes: instead of waiting for a local gateway, render the overlay (istio, the "
						+ "default, or spring-cloud) to .kit/k8s/<overlay>.yaml and print what applying it changes")
		String k8s;

		@Override
		public Integer call() {
			if (this.k8s != null && !Manifests.OVERLAYS.contains(this.k8s)) {
				throw new LaunchException(
						"no overlay '" + this.k8s + "': one of " + String.join(", ", Manifests.OVERLAYS));
			}
			Landscape landscape = this.kit.landscape();
			Routes routes = new Routes();
			// the same switch as the migration console's, recorded in
			// config-repo/audit.log
			Mode mode = routes.switchRoute(landscape.configRepo(), this.route, this.mode, this.percent);
			System.out.printf("config-repo/gateway.yml: %s -> %s%s%n", this.route, this.mode,
					(this.percent != null) ? " " + this.percent + " %" : "");
			if (this.k8s != null) {
				Deploy.printSwitch(this.kit, this.k8s, this.route);
				return 0;
			}
			this.kit.awaitGateway(this.route, mode, this.percent);
			return 0;
		}

	}

	@Command(name = "cutover",
			description = "move a module's ownership (a handoff a few seconds ahead, in config-repo's "
					+ "application.yml) and its gateway route together; a side that does not confirm the handoff "
					+ "in time gets the move undone and fails it (exit status 1)")
	static final class CutoverCommand extends KitCommand {

		@Parameters(index = "0", paramLabel = "<module>", description = "inventory or notifications")
		String module;

		@Parameters(index = "1", paramLabel = "<service|monolith>", description = "the new owner")
		String owner;

		@Override
		public Integer call() {
			Landscape landscape = this.kit.landscape();
			// prints the handoff and each side's confirmation; a side that does not
			// confirm in time gets the move undone and fails it (exit status 1)
			Owner owner = LaunchException.fromControlPlane(() -> dev.stranglerkit.control.Cutover.target(this.owner));
			new Cutover(landscape.configRepo()).move(this.module, owner);
			// (the module's route, now in the new owner's mode)
			this.kit.awaitGateway(this.module, owner.routeMode(), null);
			return 0;
		}

	}

	@Command(name = "saga",
			description = "the style of new orders' sagas (shop.saga.style in config-repo/monolith.yml): print it, or "
					+ "switch it to choreography or orchestration and wait until every monolith applies it; orders "
					+ "in flight finish in the style they were placed in")
	static final class SagaCommand extends KitCommand {

		@Parameters(index = "0", paramLabel = "style", arity = "0..1",
				description = "choreography or orchestration (none: print the style in force)")
		String style;

		@Override
		public Integer call() {
			Landscape landscape = this.kit.landscape();
			SagaStyles styles = new SagaStyles(landscape.configRepo());
			if (this.style == null) {
				System.out.println("config-repo/monolith.yml: shop.saga.style: " + styles.current());
				return 0;
			}
			styles.change(this.style);
			System.out.println("config-repo/monolith.yml: shop.saga.style -> " + this.style);
			Launcher launcher = this.kit.launcher();
			List<URI> monoliths = launcher.urls(Landscape.MONOLITH);
			if (monoliths.isEmpty()) {
				System.out.println("the monolith is not running: it reads the style when it starts");
				return 0;
			}
			SagaStyles.awaitAppliedBy(monoliths, this.kit.admin(), this.style, Duration.ofSeconds(15))
				.forEach((monolith, took) -> System.out.printf("saga style applied by the monolith at %s in %.2f s%n",
						monolith, took.toMillis() / 1000.0));
			return 0;
		}

	}

	@Command(name = "compare", separator = " ",
			customSynopsis = "./kit compare [preset...] [--saga style,style] [--rate N] [--duration S] [--warm-up S]",
			description = "the same workload against two deployments (default: before after, 25 requests/s for "
					+ "60 s), or one deployment once per saga style (--saga choreography,orchestration; default "
					+ "preset: after): latency, saga completion, messages and database writes per order, errors, "
					+ "footprint, invariants; writes .kit/compare/<time>/compare.md and compare.html, exits 1 if an "
					+ "invariant fails")
	static final class CompareCommand extends KitCommand {

		@Parameters(paramLabel = "preset", arity = "0..*",
				description = "the deployments, each started afresh (default: before after)")
		List<String> presets = new ArrayList<>();

		@Option(names = "--rate", paramLabel = "N", defaultValue = "25", description = "requests/s (default: 25)")
		double rate;

		@Option(names = "--duration", paramLabel = "S", defaultValue = "60",
				description = "seconds measured per deployment (default: 60)")
		double duration;

		@Option(names = "--warm-up", paramLabel = "S", defaultValue = "20",
				description = "seconds of workload before measuring (default: 20)")
		double warmUp;

		@Option(names = "--saga", paramLabel = "style,style", split = ",",
				description = "each deployment once per style of saga: choreography, orchestration")
		List<String> sagaStyles = new ArrayList<>();

		@Override
		public Integer call() {
			positive("--rate", this.rate, Double.MIN_VALUE);
			positive("--duration", this.duration, 1);
			positive("--warm-up", this.warmUp, 0);
			for (String style : this.sagaStyles) {
				if (!SagaStyleFile.STYLES.contains(style)) {
					throw new LaunchException(
							"--saga: no style '" + style + "': one of " + String.join(", ", SagaStyleFile.STYLES));
				}
			}
			List<String> presets = !this.presets.isEmpty() ? this.presets
					: this.sagaStyles.isEmpty() ? List.of("before", "after") : List.of("after");
			return new Compare(presets.stream().map(Preset::named).toList(), this.sagaStyles, this.rate,
					Duration.ofMillis((long) (this.duration * 1000)), Duration.ofMillis((long) (this.warmUp * 1000)),
					this.kit.state().resolve("compare"), this.kit.env)
				.run(this.kit.landscape(), this.kit.launcher(), System.out::println, this.kit.admin());
		}

	}

	@Command(name = "replay",
			description = "send the messages of a consumer queue's dead-letter queue (<queue>.dlq) back to it, once"
					+ " their cause is fixed; each applies once (the consumers are idempotent)")
	static final class Replay extends KitCommand {

		@Parameters(paramLabel = "<queue|all>",
				description = "a consumer queue, or all: every queue of kit.messaging.subscriptions")
		String queue;

		@Override
		public Integer call() {
			DeadLetters deadLetters = DeadLetters.of(this.kit.env);
			try {
				(this.queue.equals("all") ? deadLetters.replayAll(this.kit.landscape().configRepo())
						: deadLetters.replay(List.of(this.queue)))
					.forEach((queue, count) -> System.out.printf("%s.dlq: %d message%s sent back to %s%n", queue, count,
							(count == 1) ? "" : "s", queue));
			}
			catch (DeadLetters.ReplayException ex) {
				throw new LaunchException(ex.getMessage());
			}
			return 0;
		}

	}

	@Command(name = "chaos", separator = " ",
			customSynopsis = "./kit chaos [preset] [--duration S] [--seed N] [--faults kill,broker,db,control,latency] [--rate R]",
			description = "the compare workload against a deployment (default: after, 600 s, 10 requests/s) while "
					+ "processes are killed, RabbitMQ, PostgreSQL, the config server or Eureka are stopped and the "
					+ "hop to PostgreSQL or RabbitMQ is slowed (through the run's fault proxies: it restarts the "
					+ "landscape, and stops it at the end) at random (seeded) times; then every invariant; writes "
					+ ".kit/chaos/<time>/chaos.md and chaos.html (the timeline), exits 1 if an invariant fails")
	static final class ChaosCommand extends KitCommand {

		@Parameters(paramLabel = "preset", arity = "0..1", description = "the deployment (default: after)")
		String preset = "after";

		@Option(names = "--duration", paramLabel = "S", defaultValue = "600",
				description = "seconds of workload (default: 600)")
		long duration;

		@Option(names = "--seed", paramLabel = "N",
				description = "the seed of the fault times (default: one of its own, printed, to repeat the run)")
		Long seed;

		@Option(names = "--faults", paramLabel = "kind", split = ",",
				description = "the kinds of fault: kill, broker, db, control, latency (default: all)")
		List<String> faults;

		@Option(names = "--rate", paramLabel = "R", defaultValue = "10", description = "requests/s (default: 10)")
		double rate;

		@Override
		public Integer call() {
			positive("--rate", this.rate, Double.MIN_VALUE);
			positive("--duration", this.duration, 1);
			Set<Chaos.Kind> kinds = EnumSet.allOf(Chaos.Kind.class);
			if (this.faults != null) {
				kinds = EnumSet.noneOf(Chaos.Kind.class);
				for (String kind : this.faults) {
					kinds.add(Chaos.Kind.named(kind));
				}
			}
			long seed = (this.seed != null) ? this.seed : new Random().nextLong(1_000_000);
			return new Chaos(Preset.named(this.preset), this.rate, Duration.ofSeconds(this.duration), seed, kinds,
					this.kit.state().resolve("chaos"))
				.run(this.kit.landscape(), this.kit.launcher(), System.out::println, this.kit.admin());
		}

	}

	@Command(name = "help", helpCommand = true, description = "this text, or one command's (as ./kit <command> --help)")
	static final class HelpCommand implements Runnable {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "command", arity = "0..1")
		String command;

		@Override
		public void run() {
			CommandLine kit = this.spec.parent().commandLine();
			CommandLine asked = (this.command != null) ? kit.getSubcommands().get(this.command) : null;
			((asked != null) ? asked : kit).usage(kit.getOut());
		}

	}

	@Command(name = "completion",
			description = "the bash completion of ./kit's commands and options: source <(./kit completion)")
	static final class Completion implements Runnable {

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			CommandLine kit = this.spec.parent().commandLine();
			kit.getOut().print(AutoComplete.bash("kit", kit));
			kit.getOut().flush();
		}

	}

	private static void positive(String option, double value, double least) {
		if (!(value >= least)) {
			throw new LaunchException(option + " must be "
					+ ((least == 0) ? "0 or more" : (least == 1) ? "at least 1" : "positive") + ", not " + value);
		}
	}

	/** The arguments of a command, unchanged, for a tool the command hands them to. */
	static List<String> concat(List<String> command, List<String> arguments) {
		List<String> all = new ArrayList<>(command);
		all.addAll(arguments);
		return all;
	}

}
