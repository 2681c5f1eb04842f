package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The applications of the kit's landscape, their ports, and the order they start in: the
 * config server first (every application imports its configuration from it), then Eureka,
 * then the rest side by side. An extracted service is part of the landscape once its jar
 * is built.
 */
public final class Landscape {

	public static final String CONFIG_SERVER = "config-server";

	public static final String DISCOVERY = "discovery";

	public static final String MONOLITH = "monolith";

	public static final String GATEWAY = "gateway";

	/**
	 * The trace viewer ({@code ./kit up zipkin}): not part of the landscape, but every
	 * application started while it runs sends it its spans.
	 */
	public static final String ZIPKIN = "zipkin";

	static final int ZIPKIN_PORT = 9411;

	static final String ZIPKIN_VERSION = "3.5.1";

	/**
	 * where {@code ./kit up zipkin} fetches Zipkin's server to: the local Maven
	 * repository
	 */
	static final Path ZIPKIN_JAR = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "zipkin",
			"zipkin-server", ZIPKIN_VERSION, "zipkin-server-" + ZIPKIN_VERSION + "-exec.jar");

	/**
	 * C1 only: quicker to start and smaller (no C2 compiler threads, a smaller code
	 * cache), slower at its peak
	 */
	static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");

	/** name -> port, in start order */
	static final Map<String, Integer> PORTS = new LinkedHashMap<>();

	static {
		PORTS.put(CONFIG_SERVER, 8888);
		PORTS.put(DISCOVERY, 8761);
		PORTS.put(MONOLITH, 8081);
		PORTS.put("inventory-service", 8082);
		PORTS.put("notification-service", 8083);
		PORTS.put(GATEWAY, 8080);
	}

	private final Path home;

	private final Path configRepo;

	private final Pki mtls;

	private final String relay;

	public Landscape(Path home, Path configRepo) {
		this(home, configRepo, null, null);
	}

	private Landscape(Path home, Path configRepo, Pki mtls, String relay) {
		this.home = home.toAbsolutePath().normalize();
		this.configRepo = configRepo.toAbsolutePath().normalize();
		this.mtls = mtls;
		this.relay = relay;
	}

	/**
	 * @return the same landscape whose applications run with mutual TLS, each with its
	 * certificate from the kit's CA ({@link Mtls})
	 */
	public Landscape withMtls(Pki pki) {
		return new Landscape(this.home, this.configRepo, pki, this.relay);
	}

	/**
	 * @return the same landscape whose applications send their events with the relay
	 * named ({@link Relay}), whatever config-repo says
	 */
	public Landscape withRelay(String relay) {
		return new Landscape(this.home, this.configRepo, this.mtls, relay);
	}

	/**
	 * @return whether its applications run with mutual TLS
	 */
	public boolean mtls() {
		return this.mtls != null;
	}

	public Path home() {
		return this.home;
	}

	public Path configRepo() {
		return this.configRepo;
	}

	/**
	 * @return the landscape's applications whose jar is built, in start order
	 */
	public List<App> apps() {
		List<App> apps = new ArrayList<>();
		PORTS.forEach((name, port) -> {
			Path jar = jar(name);
			if (jar != null) {
				apps.add(app(name, jar));
			}
		});
		return apps;
	}

	/**
	 * @return the named application
	 * @throws LaunchException when it is not part of the landscape or not built
	 */
	public App app(String name) {
		if (name.equals(ZIPKIN)) {
			if (!Files.isRegularFile(ZIPKIN_JAR)) {
				throw new LaunchException(
						"Zipkin's server is not here (" + ZIPKIN_JAR + "): ./kit up zipkin fetches it");
			}
			return new App(ZIPKIN, ZIPKIN_PORT, ZIPKIN_JAR, List.of(), Map.of());
		}
		if (!PORTS.containsKey(name)) {
			throw new LaunchException("unknown application '" + name + "' (the landscape: "
					+ String.join(", ", PORTS.keySet()) + "; presets: "
					+ String.join(", ", Preset.all().stream().map(Preset::name).toList()) + ")");
		}
		Path jar = jar(name);
		if (jar == null) {
			throw new LaunchException(name + " is not built: run ./kit build");
		}
		return app(name, jar);
	}

	private App app(String name, Path jar) {
		Map<String, String> env = new LinkedHashMap<>();
		List<String> args = new ArrayList<>();
		// the config server serves it, and an application that reads it without the
		// server finds it wherever it runs: Spring Modulith reads the monolith's settings
		// again apart from the application, without its profile "landscape", so straight
		// from config-repo's files, relative to the working directory otherwise
		env.put("KIT_CONFIG_REPO", this.configRepo.toString());
		if (name.equals(MONOLITH)) {
			args.add("--spring.profiles.active=landscape");
		}
		env.putAll(brokerUser(name));
		if (this.relay != null) {
			env.put(Relay.ENV, this.relay);
		}
		if (this.mtls != null) {
			env.putAll(Mtls.env(this.mtls));
			args.add(Mtls.PROFILE_ARGUMENT);
		}
		if (Launcher.portInUse(ZIPKIN_PORT)) {
			// a trace viewer runs (./kit up zipkin): this application sends it its spans
			env.put("KIT_TRACING_ZIPKIN_ENDPOINT", "http://127.0.0.1:" + ZIPKIN_PORT + "/api/v2/spans");
		}
		return new App(name, PORTS.get(name), jar, javaOptions(name), args, env, name);
	}

	/**
	 * Each role's JVM options, after those of every application ({@code KIT_JAVA_OPTS}),
	 * chosen by measurement ({@code ./kit bench landscape},
	 * benchmarks/results/landscape.md); {@code KIT_ROLE_JAVA_OPTS=off} leaves them out.
	 * <ul>
	 * <li>The control plane, the monolith and the extracted services run with C1 only
	 * ({@link #QUICK_START}): on two cores, C2's compilations during start-up take CPU
	 * the other JVMs starting beside them need.</li>
	 * <li>The gateway keeps C2: every request crosses it, and its hot path is measured
	 * with C2 against a bare Spring Cloud Gateway ({@code ./kit bench gateway}).</li>
	 * </ul>
	 */
	static List<String> javaOptions(String name) {
		if ("off".equalsIgnoreCase(System.getenv("KIT_ROLE_JAVA_OPTS")) || name.equals(GATEWAY)
				|| name.equals(ZIPKIN)) {
			return List.of();
		}
		return QUICK_START;
	}

	/**
	 * The application's own broker user, which {@code ./kit} makes (its password in
	 * {@code .kit/broker/<application>}), unless {@code SHOP_RABBIT_USER} names one user
	 * for all.
	 */
	private Map<String, String> brokerUser(String name) {
		Path password = this.home.resolve(".kit/broker").resolve(name);
		if (System.getenv("SHOP_RABBIT_USER") != null || !Files.isRegularFile(password)) {
			return Map.of();
		}
		try {
			return Map.of("SHOP_RABBIT_USER", name, "SHOP_RABBIT_PASSWORD", Files.readString(password).strip());
		}
		catch (IOException ex) {
			throw new LaunchException("could not read " + password + ": " + ex.getMessage());
		}
	}

	/**
	 * Eureka starts before the applications, not beside them: measured, starting it
	 * beside them saved no time, since each application's first registration then fails
	 * and the landscape waits for the heartbeat that registers it again
	 * (benchmarks/results/landscape.md).
	 * @return the applications in tiers: every application of a tier starts once the tier
	 * before it is healthy
	 */
	public static List<List<App>> tiers(List<App> apps) {
		List<App> first = apps.stream().filter((app) -> app.name().equals(CONFIG_SERVER)).toList();
		List<App> second = apps.stream().filter((app) -> app.name().equals(DISCOVERY)).toList();
		List<App> rest = apps.stream()
			.filter((app) -> !app.name().equals(CONFIG_SERVER) && !app.name().equals(DISCOVERY))
			.toList();
		return Stream.of(first, second, rest).filter((tier) -> !tier.isEmpty()).toList();
	}

	private Path jar(String name) {
		Path target = this.home.resolve(module(name)).resolve("target");
		if (!Files.isDirectory(target)) {
			return null;
		}
		try (Stream<Path> files = Files.list(target)) {
			return files.filter(
					(file) -> file.getFileName().toString().matches(name + "-\\d.*(?<!-plain|-sources|-tests)\\.jar"))
				.findFirst()
				.orElse(null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String module(String name) {
		return name.endsWith("-service") ? "extracted-services/" + name : name;
	}

}
