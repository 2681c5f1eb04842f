package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.stranglerkit.control.Credential;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Tls;

/**
 * Starts and stops the landscape's applications as separate processes, the way a user
 * runs them: {@code java -jar}, one log and one pid file each under the state folder
 * ({@code .kit/} by default), health-gated start in tiers. Used by {@code ./kit} and by
 * the whole-landscape tests.
 */
public final class Launcher {

	/** marks the kit's processes on their command line, to find them without pid files */
	static final String MARKER = "-Dkit.app=";

	/** the state folder on the command line: two landscapes' processes are told apart */
	static final String STATE_MARKER = "-Dkit.state=";

	private final Path state;

	private final List<String> javaOptions;

	private final Map<String, String> env;

	private final Consumer<String> out;

	private final Duration startTimeout;

	private volatile boolean aotCache = AotCache.supported();

	private volatile Path aotFolder;

	/** how often ./kit up says where the applications it waits for stand */
	static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

	/**
	 * @param state the folder for logs and pid files
	 * @param javaOptions JVM options for every application
	 * @param env environment added to every application's
	 * @param out where progress goes
	 * @param startTimeout how long an application may take to become healthy
	 */
	public Launcher(Path state, List<String> javaOptions, Map<String, String> env, Consumer<String> out,
			Duration startTimeout) {
		this.state = state.toAbsolutePath().normalize();
		this.javaOptions = List.copyOf(javaOptions);
		this.env = Map.copyOf(env);
		this.out = out;
		this.startTimeout = startTimeout;
	}

	/**
	 * @return a launcher of the same landscape whose applications get this environment
	 * too (those it starts from now on)
	 */
	public Launcher withEnv(Map<String, String> extra) {
		Map<String, String> env = new java.util.HashMap<>(this.env);
		env.putAll(extra);
		Launcher launcher = new Launcher(this.state, this.javaOptions, env, this.out, this.startTimeout)
			.aotCache(this.aotCache);
		launcher.aotFolder = this.aotFolder;
		return launcher;
	}

	/**
	 * Whether applications start with the JDK's AOT cache ({@link AotCache}); on by
	 * default on JDK 25 unless {@code KIT_AOT=off}.
	 */
	public Launcher aotCache(boolean enabled) {
		this.aotCache = enabled && AotCache.supported();
		return this;
	}

	/**
	 * Keeps the extracted jars and their AOT caches in this folder instead of the state's
	 * {@code apps/}: landscapes of different state folders (the landscape tests') share
	 * them, so that only the first one records.
	 */
	public Launcher aotCacheIn(Path folder) {
		this.aotFolder = folder.toAbsolutePath().normalize();
		return this;
	}

	public Path log(String app) {
		return this.state.resolve("logs").resolve(app + ".log");
	}

	private Path pidFile(String app) {
		return this.state.resolve("run").resolve(app + ".pid");
	}

	/**
	 * Starts every application that is not running yet, tier after tier, each tier once
	 * the one before is healthy. When one fails, everything is stopped and the failure
	 * names the application and shows the end of its log.
	 * @return the seconds each started application took to become healthy
	 */
	public Map<String, Double> up(List<List<App>> tiers) {
		return up(tiers, true);
	}

	/**
	 * Starts applications as {@link #up} does, beside a landscape that runs: when one
	 * fails, only what this call started is stopped.
	 * @return the seconds each started application took to become healthy
	 */
	public Map<String, Double> upBeside(List<List<App>> tiers) {
		return up(tiers, false);
	}

	private Map<String, Double> up(List<List<App>> tiers, boolean everything) {
		Map<String, Double> took = Collections.synchronizedMap(new LinkedHashMap<>());
		List<App> startedHere = Collections.synchronizedList(new ArrayList<>());
		try {
			for (List<App> tier : tiers) {
				List<CompletableFuture<Void>> starting = new ArrayList<>();
				List<App> started = new ArrayList<>();
				for (App app : tier) {
					if (healthy(app)) {
						this.out.accept(app.id() + " is already running on " + app.url());
						continue;
					}
					long begin = System.nanoTime();
					ProcessHandle process = start(app);
					started.add(app);
					startedHere.add(app);
					starting.add(CompletableFuture.runAsync(() -> {
						awaitHealthy(app, process);
						double seconds = (System.nanoTime() - begin) / 1e9;
						took.put(app.id(), seconds);
						this.out.accept("%s is healthy on %s (%.1f s)".formatted(app.id(), app.url(), seconds));
					}));
				}
				awaitTier(CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)), started, took);
			}
			awaitInRotation(tiers.stream().flatMap(List::stream).toList());
			return took;
		}
		catch (CompletionException | LaunchException ex) {
			Throwable cause = (ex instanceof CompletionException) ? ex.getCause() : ex;
			if (everything) {
				this.out.accept("Stopping what runs, so that nothing is left half started");
				down();
			}
			else {
				this.out.accept("Stopping what this command started; the rest runs on");
				startedHere.reversed().forEach((app) -> stop(app.id()));
			}
			throw (cause instanceof LaunchException launch) ? launch : new LaunchException(cause.toString());
		}
	}

	/**
	 * Waits for the applications a tier started to be healthy, and meanwhile says every
	 * few seconds where each stands: a start takes tens of seconds on two cores.
	 */
	private void awaitTier(CompletableFuture<Void> tier, List<App> apps, Map<String, Double> took) {
		long begin = System.nanoTime();
		while (true) {
			try {
				tier.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
				return;
			}
			catch (TimeoutException ex) {
				List<String> states = apps.stream()
					.filter((app) -> !took.containsKey(app.id()))
					.map((app) -> app.id() + " " + state(app))
					.toList();
				if (!states.isEmpty()) {
					this.out
						.accept("  %.0f s: %s".formatted((System.nanoTime() - begin) / 1e9, String.join(", ", states)));
				}
			}
			catch (ExecutionException ex) {
				throw new CompletionException(ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LaunchException("interrupted");
			}
		}
	}

	/**
	 * @return where a starting application stands: not listening yet (its context is
	 * being built), or the status its health endpoint answers
	 */
	private String state(App app) {
		if (!portInUse(app.port())) {
			return "starting (port " + app.port() + " not open yet)";
		}
		return "listening, health " + new Status().health(app.health());
	}

	/**
	 * Waits until Eureka has every started application that registers as UP, then until
	 * every gateway instance sends requests to it: a healthy application is not yet
	 * reachable through the gateway until the gateway's registry fetch and load-balancer
	 * cache have caught up, which a busy machine can delay well beyond their second each.
	 */
	private void awaitInRotation(List<App> apps) {
		URI eureka = Tls.local(Landscape.PORTS.get(Landscape.DISCOVERY));
		String credentials = Credential.EUREKA.current();
		List<App> registering = apps.stream()
			.filter((app) -> !app.name().equals(Landscape.CONFIG_SERVER) && !app.name().equals(Landscape.DISCOVERY))
			.toList();
		if (registering.isEmpty() || Http.get(eureka.resolve("/actuator/health"), null).isEmpty()) {
			return;
		}
		Instant deadline = Instant.now().plusSeconds(30);
		for (App app : registering) {
			Poll.await(Duration.between(Instant.now(), deadline), Duration.ofMillis(200),
					() -> inRotation(eureka, credentials, app), () -> app.name() + " is healthy but not UP in Eureka ("
							+ eureka + ") after 30 s: see " + log(app.id()));
		}
		List<URI> gateways = urls(Landscape.GATEWAY);
		if (gateways.isEmpty()) {
			this.out.accept("every application is UP in Eureka");
			return;
		}
		String admin = Credential.ADMIN.current();
		for (URI gateway : gateways) {
			for (App app : registering) {
				if (!app.name().equals(Landscape.GATEWAY)) {
					Poll.await(Duration.between(Instant.now(), deadline), Duration.ofMillis(200),
							() -> inView(gateway, admin, app),
							() -> app.id() + " is UP in Eureka but not among the instances the gateway at " + gateway
									+ " sends requests to after 30 s: see " + log(Landscape.GATEWAY));
				}
			}
		}
		this.out.accept("every application is UP in Eureka and in the gateway's view");
	}

	/**
	 * @return whether the gateway's load balancer has the instance in rotation: after its
	 * registry fetch and its load-balancer cache (a second each,
	 * config-repo/application.yml)
	 */
	private static boolean inView(URI gateway, String admin, App app) {
		return Http.get(gateway.resolve("/actuator/strangler/" + app.name()), admin)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> response.body().contains(":" + app.port() + "\""))
			.orElse(false);
	}

	/**
	 * @return whether Eureka has this instance UP: its entry by instance id, which is
	 * {@code <name>:<port>} (config-repo/application.yml), so that a first instance UP
	 * does not stand for a further one still starting
	 */
	private static boolean inRotation(URI eureka, String credentials, App app) {
		return Http
			.get(eureka.resolve("/eureka/apps/" + app.name().toUpperCase() + "/" + app.name() + ":" + app.port()),
					credentials)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> response.body().replace(" ", ""))
			.map((body) -> body.contains("\"status\":\"UP\""))
			.orElse(false);
	}

	/** Starts one application in the background and records its pid. */
	public ProcessHandle start(App app) {
		if (portInUse(app.port())) {
			throw new LaunchException("port " + app.port() + " is in use, so " + app.id()
					+ " cannot start: stop what listens there (ss -ltnp 'sport = :" + app.port() + "')");
		}
		List<String> command = new ArrayList<>();
		// its own session: a Ctrl-C in the terminal that ran ./kit up does not reach it
		if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
			command.add("/usr/bin/setsid");
		}
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add(MARKER + app.id());
		command.add(STATE_MARKER + this.state);
		command.addAll(this.javaOptions);
		command.addAll(app.javaOptions());
		try {
			// Zipkin's server is a tool beside the landscape, started now and then: no
			// cache
			if (this.aotCache && !app.name().equals(Landscape.ZIPKIN)) {
				command.addAll(new AotCache((this.aotFolder != null) ? this.aotFolder : this.state.resolve("apps"))
					.launch(app));
			}
			else {
				command.add("-jar");
				command.add(app.jar().toString());
			}
			command.addAll(app.args());
			Files.createDirectories(log(app.id()).getParent());
			Files.createDirectories(pidFile(app.id()).getParent());
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log(app.id()).toFile())
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
			builder.environment().putAll(this.env);
			// where an application keeps the configuration it last received (kit-config)
			builder.environment().put("KIT_CONFIG_LAST_KNOWN_DIR", this.state.resolve("config").toString());
			builder.environment().putAll(app.env());
			Process process = builder.start();
			Files.writeString(pidFile(app.id()), Long.toString(process.pid()));
			this.out.accept("starting %s (pid %d, log %s)".formatted(app.id(), process.pid(),
					this.state.getParent().relativize(log(app.id()))));
			return process.toHandle();
		}
		catch (IOException ex) {
			throw new LaunchException("could not start " + app.id() + ": " + ex.getMessage());
		}
	}

	private void awaitHealthy(App app, ProcessHandle process) {
		Poll.await(this.startTimeout, Duration.ofMillis(250), () -> {
			if (!process.isAlive()) {
				throw new LaunchException(app.id() + " stopped while starting. The end of its log (" + log(app.id())
						+ "):\n" + tail(log(app.id()), 40));
			}
			return healthy(app);
		}, () -> {
			threadDump(process);
			return app.id() + " was not healthy on " + app.health() + " within " + this.startTimeout.toSeconds()
					+ " s. The end of its log (" + log(app.id()) + "):\n" + tail(log(app.id()), 40);
		});
	}

	/**
	 * Has a JVM that is stuck print its threads into its log (SIGQUIT), so that the log a
	 * failed start leaves behind shows where it hung.
	 */
	private static void threadDump(ProcessHandle process) {
		try {
			new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor();
			sleep(Duration.ofSeconds(1));
		}
		catch (IOException ex) {
			// no kill command: the log shows what it can
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * @return whether the application answers its health endpoint with 200 (UP)
	 */
	public boolean healthy(App app) {
		return Http.get(app.health(), null).map((response) -> response.statusCode() == 200).orElse(false);
	}

	/**
	 * @return the running process of the application, by its pid file, else by the marker
	 * on its command line
	 */
	public Optional<ProcessHandle> running(String app) {
		try {
			Path pid = pidFile(app);
			if (Files.exists(pid)) {
				Optional<ProcessHandle> recorded = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
					.filter(ProcessHandle::isAlive)
					.filter((process) -> isKitProcess(process, app));
				if (recorded.isPresent()) {
					return recorded;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// no usable pid file: look for the marker
		}
		return ProcessHandle.allProcesses().filter((process) -> isKitProcess(process, app)).findFirst();
	}

	private boolean isKitProcess(ProcessHandle process, String app) {
		return process.info()
			.arguments()
			.map(List::of)
			.map((args) -> args.contains(MARKER + app) && args.contains(STATE_MARKER + this.state))
			.orElse(false);
	}

	/**
	 * Stops every application of the kit in the reverse order of the start: the
	 * applications side by side first (so that each still deregisters from Eureka), then
	 * Eureka, then the config server. SIGTERM, and SIGKILL after 30 s.
	 * @return the names of the applications stopped
	 */
	public List<String> down() {
		List<String> names = new ArrayList<>(Landscape.PORTS.keySet());
		names.removeAll(List.of(Landscape.CONFIG_SERVER, Landscape.DISCOVERY));
		names.addAll(extraInstances());
		List<String> stopped = new ArrayList<>();
		for (List<String> group : List.of(names, List.of(Landscape.DISCOVERY), List.of(Landscape.CONFIG_SERVER))) {
			Map<String, ProcessHandle> stopping = new LinkedHashMap<>();
			for (String name : group) {
				running(name).ifPresent((process) -> {
					process.destroy();
					stopping.put(name, process);
				});
			}
			stopping.forEach((name, process) -> {
				stop(process, Duration.ofSeconds(30));
				this.out.accept("stopped " + name + " (pid " + process.pid() + ")");
				stopped.add(name);
			});
			group.forEach(this::deletePidFile);
		}
		return stopped;
	}

	/**
	 * @return the ids of the application's further instances that run
	 * ({@link App#instance}: {@code <name>-<port>}), by their pid files, lowest port
	 * first
	 */
	public List<String> instances(String name) {
		return extraInstances().stream()
			.filter((id) -> id.matches(java.util.regex.Pattern.quote(name) + "-\\d+"))
			.filter((id) -> running(id).isPresent())
			.sorted(java.util.Comparator.comparingInt(Launcher::instancePort))
			.toList();
	}

	/**
	 * @return the ids of every running instance of the application, its first one first
	 */
	public List<String> allInstances(String name) {
		List<String> ids = new ArrayList<>();
		running(name).ifPresent((process) -> ids.add(name));
		ids.addAll(instances(name));
		return ids;
	}

	/**
	 * @return the URL of every running instance of the application, its first one first
	 */
	public List<URI> urls(String name) {
		return allInstances(name).stream()
			.map((id) -> Tls.local(id.equals(name) ? Landscape.PORTS.get(name) : instancePort(id)))
			.toList();
	}

	/** the port in a further instance's id ({@code <name>-<port>}) */
	static int instancePort(String id) {
		return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
	}

	/**
	 * The ids of further instances started beside the landscape's ({@link App#instance}).
	 */
	private List<String> extraInstances() {
		Path run = this.state.resolve("run");
		if (!Files.isDirectory(run)) {
			return List.of();
		}
		try (var files = Files.list(run)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((file) -> file.endsWith(".pid"))
				.map((file) -> file.substring(0, file.length() - ".pid".length()))
				.filter((id) -> !Landscape.PORTS.containsKey(id))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Stops one application gracefully (SIGTERM, SIGKILL after 30 s). */
	public boolean stop(String app) {
		Optional<ProcessHandle> process = running(app);
		process.ifPresent((handle) -> {
			handle.destroy();
			stop(handle, Duration.ofSeconds(30));
		});
		deletePidFile(app);
		return process.isPresent();
	}

	/** Kills one application at once (SIGKILL), as a crash would. */
	public boolean kill(String app) {
		Optional<ProcessHandle> process = running(app);
		process.ifPresent((handle) -> {
			handle.destroyForcibly();
			handle.onExit().join();
		});
		deletePidFile(app);
		return process.isPresent();
	}

	private static void stop(ProcessHandle process, Duration grace) {
		try {
			process.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			process.destroyForcibly();
			process.onExit().join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void deletePidFile(String app) {
		try {
			Files.deleteIfExists(pidFile(app));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static boolean portInUse(int port) {
		return Http.listening(Tls.local(port));
	}

	/**
	 * @return the last lines of a file, or a note that it is missing
	 */
	public static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LaunchException("interrupted");
		}
	}

}
