package dev.stranglerkit.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.control.Tls;
import dev.stranglerkit.launcher.compare.Invariants;
import dev.stranglerkit.launcher.compare.ShopFacts;
import dev.stranglerkit.launcher.compare.ShopWorkload;
import dev.stranglerkit.launcher.compare.Workload;
import dev.stranglerkit.report.ChaosReport;
import dev.stranglerkit.report.ChaosRun;
import dev.stranglerkit.report.InvariantCheck;
import dev.stranglerkit.report.WorkloadResult;

/**
 * {@code ./kit chaos [preset] [--duration S] [--seed N] [--faults LIST] [--rate R]}: the
 * compare workload against a deployment while faults are injected at random times, then a
 * quiet period and every invariant of {@code ./kit compare}. The faults are real: a
 * process killed with SIGKILL (and restarted after a random delay, as a supervisor
 * would), RabbitMQ's application stopped and started ({@code rabbitmqctl stop_app}, every
 * connection dropped, the port closed), PostgreSQL stopped (fast shutdown) and started,
 * the config server or Eureka down, one hop delayed ({@code tc netem}). The same seed
 * gives the same faults, targets, times and durations. Every kind asked for is injected
 * at least once; faults do not overlap. Client-visible errors during a fault are allowed
 * and counted; a lost or doubled business effect fails the run (exit status 1).
 *
 * @param preset the deployment (by default {@code after})
 * @param rate requests per second
 * @param duration how long faults are injected under the workload
 * @param seed what the random choices start from
 * @param kinds the fault kinds to inject
 * @param reports where the report goes (a folder per run)
 */
public record Chaos(Preset preset, double rate, Duration duration, long seed, Set<Kind> kinds, Path reports) {

	/** How long a saga gets to end after the run before an unended one fails it. */
	static final Duration SETTLE = Duration.ofSeconds(120);

	/** The faults the kit injects. */
	public enum Kind {

		/** SIGKILL of an application instance, restarted after 2 to 10 s */
		KILL,
		/** RabbitMQ stopped for 5 to 60 s */
		BROKER,
		/** PostgreSQL stopped (fast shutdown) for 5 to 30 s */
		DB,
		/** the config server or Eureka down for 30 s */
		CONTROL,
		/**
		 * 50 to 500 ms added for 10 to 30 s to one hop: to PostgreSQL, to RabbitMQ, or
		 * the gateway's to an application ({@link NetworkDelay})
		 */
		LATENCY;

		/** the kind as {@code --faults} names it */
		String option() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static Kind named(String name) {
			try {
				return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new LaunchException("unknown fault '" + name + "' (faults: kill, broker, db, control, latency)");
			}
		}

	}

	/**
	 * A fault as it happened.
	 *
	 * @param kind what
	 * @param target which process or server
	 * @param startedAt seconds since the workload started
	 * @param endedAt when the target was back (seconds since the workload started)
	 */
	public record Injected(Kind kind, String target, double startedAt, double endedAt) {
	}

	public int run(Landscape landscape, Launcher launcher, Consumer<String> out, String adminCredentials) {
		URI gateway = Tls.local(Landscape.PORTS.get(Landscape.GATEWAY));
		out.accept("== chaos on " + this.preset.name() + ": seed " + this.seed + ", faults " + this.kinds
				+ ", %.0f requests/s for %d s".formatted(this.rate, this.duration.toSeconds())
				+ "; about %.0f min in all (a start of about a minute, the run, the sagas' end)".formatted(
						Math.ceil((Compare.START_ESTIMATE.toSeconds() + this.duration.toSeconds() + 30) / 60.0)));
		List<FaultProxy> proxies = List.of();
		if (this.kinds.contains(Kind.LATENCY)) {
			proxies = List.of(FaultProxy.start("postgresql", 5432), FaultProxy.start("rabbitmq", 5672));
			out.accept("the applications reach PostgreSQL and RabbitMQ through fault proxies for the run "
					+ "(ports %d and %d): restarting the landscape".formatted(proxies.get(0).port(),
							proxies.get(1).port()));
			launcher.down();
			launcher = launcher.withEnv(Map.of("SHOP_DB_PORT", Integer.toString(proxies.get(0).port()),
					"SHOP_RABBIT_PORT", Integer.toString(proxies.get(1).port())));
		}
		try {
			return run(landscape, launcher, out, adminCredentials, gateway, proxies);
		}
		finally {
			if (!proxies.isEmpty()) {
				launcher.down();
				proxies.forEach(FaultProxy::close);
				out.accept("landscape stopped: it reached PostgreSQL and RabbitMQ through the run's fault proxies "
						+ "(./kit up " + this.preset.name() + " starts it again)");
			}
		}
	}

	private int run(Landscape landscape, Launcher launcher, Consumer<String> out, String adminCredentials, URI gateway,
			List<FaultProxy> proxies) {
		new Deployment(landscape, launcher, out, gateway, adminCredentials).apply(this.preset);
		ShopFacts shop = new ShopFacts(gateway);
		shop.setStock(ShopWorkload.STOCK, Duration.ofSeconds(30));
		List<Injected> injected = new CopyOnWriteArrayList<>();
		long start = System.nanoTime();
		Thread monkey = Thread.ofPlatform()
			.name("chaos-monkey")
			.start(() -> inject(landscape, launcher, proxies, out, start, injected));
		ShopWorkload workload = new ShopWorkload(this.seed);
		WorkloadResult result;
		try {
			result = new Workload(gateway, this.rate, this.duration, workload).listener(workload)
				.progress(Compare.PROGRESS_EVERY.multipliedBy(2),
						(line) -> out.accept("[chaos] " + line + "; then the sagas' end and the invariants"))
				.run();
		}
		finally {
			try {
				monkey.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		out.accept("faults over; waiting for every saga to end, then checking the invariants");
		int resolved = workload.resolveUnanswered(shop);
		if (resolved > 0) {
			out.accept(
					resolved + " order(s) unanswered during a fault, asked again with their Idempotency-Key: accepted");
		}
		List<Invariants.OrderFacts> orders = shop.orders(workload.placed(), SETTLE);
		List<Invariants.StockFacts> stock = shop.stock(ShopWorkload.STOCK, Duration.ofSeconds(30));
		long backlog = Compare.awaitOutboxDrained(launcher, Duration.ofSeconds(60));
		List<InvariantCheck> invariants = Invariants.check(orders, stock, backlog,
				Math.round(PrometheusText.sum(Compare.scrape(launcher), "kit_messaging_dead_letters")));
		Path folder = this.reports.resolve(Instant.now().toString().replace(':', '-').replaceAll("\\.\\d+Z$", "Z"));
		List<ChaosRun.Fault> faults = injected.stream()
			.map((fault) -> new ChaosRun.Fault(fault.kind().option(), fault.target(), fault.startedAt(),
					fault.endedAt()))
			.toList();
		try {
			ChaosReport.write(new ChaosRun(this.preset.name(), this.seed, this.duration, this.rate,
					this.kinds.stream().map(Kind::option).toList(), faults, result, invariants), folder);
		}
		catch (IOException ex) {
			throw new LaunchException("cannot write the report to " + folder + ": " + ex.getMessage());
		}
		boolean holds = invariants.stream().allMatch(InvariantCheck::holds);
		out.accept("%d faults, %d requests, %d client-visible errors; invariants %s".formatted(injected.size(),
				result.completed(), result.errors(), holds ? "hold" : "FAILED"));
		out.accept("report: " + folder.resolve("chaos.md") + " (and chaos.html, the timeline drawn)");
		return holds ? 0 : 1;
	}

	/**
	 * Injects the faults one after the other: every kind once in a random order, then
	 * random kinds, each at a random moment of its share of the run.
	 */
	private void inject(Landscape landscape, Launcher launcher, List<FaultProxy> proxies, Consumer<String> out,
			long start, List<Injected> injected) {
		Random random = new Random(this.seed);
		List<Kind> plan = new ArrayList<>(this.kinds);
		Collections.shuffle(plan, random);
		int count = (int) Math.max(plan.size(), this.duration.toSeconds() / 45);
		while (plan.size() < count) {
			plan.add(List.copyOf(this.kinds).get(random.nextInt(this.kinds.size())));
		}
		double share = this.duration.toMillis() / 1000.0 / count;
		for (int i = 0; i < count; i++) {
			double at = i * share + random.nextDouble() * share / 3;
			long wait = Math.round((at - seconds(start)) * 1000);
			if (wait > 0) {
				Launcher.sleep(Duration.ofMillis(wait));
			}
			if (i >= this.kinds.size() && seconds(start) > this.duration.toSeconds() - share / 2) {
				return; // every kind came once; no further fault outlasts the workload
			}
			Kind kind = plan.get(i);
			String target = target(kind, random);
			double began = seconds(start);
			out.accept("[chaos %5.1f s] %s %s".formatted(began, kind.option(), target));
			try {
				cause(kind, target, random, Math.max(5, share * 0.6), landscape, launcher, proxies);
			}
			catch (RuntimeException ex) {
				out.accept("[chaos] " + kind + " " + target + " did not recover: " + ex.getMessage());
			}
			double ended = seconds(start);
			injected.add(new Injected(kind, target, began, ended));
			out.accept("[chaos %5.1f s] %s is back".formatted(ended, target));
		}
	}

	private String target(Kind kind, Random random) {
		return switch (kind) {
			case KILL -> this.preset.apps().get(random.nextInt(this.preset.apps().size()));
			case BROKER -> "rabbitmq";
			case DB -> "postgresql";
			case CONTROL -> random.nextBoolean() ? Landscape.CONFIG_SERVER : Landscape.DISCOVERY;
			case LATENCY ->
				(random.nextBoolean() ? "postgresql" : "rabbitmq") + " +" + (50 + random.nextInt(451)) + " ms";
		};
	}

	/**
	 * Causes the fault and ends it.
	 * @param cap the longest a fault lasts, in seconds, so that a short run has room for
	 * every kind (a restart takes what it takes on top)
	 */
	private void cause(Kind kind, String target, Random random, double cap, Landscape landscape, Launcher launcher,
			List<FaultProxy> proxies) {
		switch (kind) {
			case KILL -> {
				launcher.kill(target);
				Launcher.sleep(between(random, 2, Math.min(10, cap)));
				launcher.up(List.of(List.of(landscape.app(target))));
			}
			case CONTROL -> {
				launcher.kill(target);
				Launcher.sleep(between(random, Math.min(30, cap), Math.min(30, cap)));
				launcher.up(List.of(List.of(landscape.app(target))));
			}
			case BROKER -> {
				run("rabbitmqctl", "stop_app");
				try {
					Launcher.sleep(between(random, 5, Math.min(60, cap)));
				}
				finally {
					run("rabbitmqctl", "start_app");
				}
			}
			case LATENCY -> {
				FaultProxy hop = proxies.stream()
					.filter((proxy) -> target.startsWith(proxy.name() + " "))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("no fault proxy for " + target));
				hop.delay(Duration.ofMillis(Long.parseLong(target.replaceAll(".* \\+(\\d+) ms", "$1"))));
				try {
					Launcher.sleep(between(random, Math.min(10, cap), Math.min(30, cap)));
				}
				finally {
					hop.clear();
				}
			}
			case DB -> {
				String cluster = postgresCluster();
				run("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "stop", "-m", "fast");
				try {
					Launcher.sleep(between(random, 5, Math.min(30, cap)));
				}
				finally {
					run("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "start");
				}
			}
		}
	}

	private static Duration between(Random random, double fromSeconds, double toSeconds) {
		double seconds = fromSeconds + random.nextDouble() * Math.max(0, toSeconds - fromSeconds);
		return Duration.ofMillis(Math.round(seconds * 1000));
	}

	/** The local PostgreSQL's version, the cluster {@code ./kit} starts too. */
	private static String postgresCluster() {
		try (var versions = Files.list(Path.of("/etc/postgresql"))) {
			return versions.map((path) -> path.getFileName().toString())
				.max(java.util.Comparator.comparingDouble(Double::parseDouble))
				.orElseThrow(() -> new LaunchException("no PostgreSQL cluster under /etc/postgresql"));
		}
		catch (IOException ex) {
			throw new LaunchException("the db fault needs a local PostgreSQL (pg_ctlcluster): " + ex.getMessage());
		}
	}

	/** Runs a command of the machine's, failing with its output when it fails. */
	static void run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new LaunchException(String.join(" ", command) + " failed: "
						+ new String(process.getInputStream().readAllBytes()).strip());
			}
		}
		catch (IOException ex) {
			throw new LaunchException(String.join(" ", command) + " could not run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LaunchException("interrupted: " + String.join(" ", command));
		}
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

}
