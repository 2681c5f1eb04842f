package dev.stranglerkit.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.stranglerkit.control.Credential;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.control.Tls;
import dev.stranglerkit.launcher.compare.Invariants;
import dev.stranglerkit.launcher.compare.ShopFacts;
import dev.stranglerkit.launcher.compare.ShopWorkload;
import dev.stranglerkit.launcher.compare.Workload;
import dev.stranglerkit.report.CompareReport;
import dev.stranglerkit.report.Comparison;
import dev.stranglerkit.report.DeploymentRun;
import dev.stranglerkit.report.Footprint;
import dev.stranglerkit.report.InvariantCheck;
import dev.stranglerkit.report.PerOrder;
import dev.stranglerkit.report.Summary;
import dev.stranglerkit.report.WorkloadResult;

/**
 * {@code ./kit compare [preset preset...]}: the same workload against each deployment, by
 * default the one before extraction and the one after, each started afresh (so start-up
 * and memory are measured alike), and one report of both. For each deployment it sets the
 * sample products' stock, warms the JVMs up, runs the measured workload at a fixed
 * arrival rate, waits for every saga to end, and checks the invariants; it leaves the
 * last deployment running. A run whose invariants fail says so at the top of the report
 * and exits 1.
 *
 * @param presets the deployments, in the order they run
 * @param sagaStyles each deployment once per style of saga ({@code --saga}), or as
 * config-repo has it when empty
 * @param rate requests per second (an open model: arrivals do not wait for answers)
 * @param duration the measured run
 * @param warmUp the unmeasured run before it (the JIT compiles the hot paths)
 * @param reports where the reports go (a folder per comparison)
 */
public record Compare(List<Preset> presets, List<String> sagaStyles, double rate, Duration duration, Duration warmUp,
		Path reports, Map<String, String> env) {

	/**
	 * the applications whose Prometheus figures the compare reads (event lag, saga,
	 * outbox)
	 */
	private static final List<String> MEASURED = List.of(Landscape.MONOLITH, "inventory-service",
			"notification-service");

	/** how long the sagas of a run get to end before an unended one fails the run */
	static final Duration SETTLE = Duration.ofSeconds(60);

	/**
	 * what a deployment's start takes at most on two cores, for the time a run announces
	 */
	static final Duration START_ESTIMATE = Duration.ofSeconds(60);

	/** how often a workload says how far it is */
	static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

	public int run(Landscape landscape, Launcher launcher, Consumer<String> out, String adminCredentials) {
		long begin = System.nanoTime();
		URI gateway = Tls.local(Landscape.PORTS.get(Landscape.GATEWAY));
		List<DeploymentRun> runs = new ArrayList<>();
		// a start, the warm-up, the run, the sagas' end
		long each = START_ESTIMATE.toSeconds() + this.warmUp.toSeconds() + this.duration.toSeconds() + 10;
		String presetNames = String.join(" and ", this.presets.stream().map(Preset::name).toList());
		int runCount = this.presets.size() * Math.max(1, this.sagaStyles.size());
		out.accept("comparing %s: each deployment started afresh (about a minute), %d s of warm-up, %d s measured,"
			.formatted(
					this.sagaStyles.isEmpty() ? presetNames
							: String.join(" and ", this.sagaStyles) + " (" + presetNames + ")",
					this.warmUp.toSeconds(), this.duration.toSeconds())
				+ " then its sagas' end: about %.0f min in all".formatted(Math.ceil(runCount * each / 60.0)));
		List<String> styles = this.sagaStyles.isEmpty() ? java.util.Collections.singletonList(null) : this.sagaStyles;
		int total = this.presets.size() * styles.size();
		SagaStyles sagaStyle = new SagaStyles(landscape.configRepo());
		String styleBefore = sagaStyle.current();
		try {
			for (Preset preset : this.presets) {
				for (String style : styles) {
					int index = runs.size();
					double elapsed = (System.nanoTime() - begin) / 60e9;
					String name = (style == null) ? preset.name()
							: (this.presets.size() == 1) ? style : preset.name() + ", " + style;
					out.accept("");
					out.accept(
							"== %s (%d of %d; %.1f min so far, about %.0f min left): stopping what runs, then starting the deployment afresh"
								.formatted(name, index + 1, total, elapsed,
										Math.max(1, Math.ceil((total - index) * each / 60.0))));
					launcher.down();
					if (style != null) {
						// read by the monolith when it starts
						sagaStyle.change(style);
						out.accept("config-repo/monolith.yml: shop.saga.style -> " + style);
					}
					long start = System.nanoTime();
					Map<String, Double> startUp = new Deployment(landscape, launcher, out, gateway, adminCredentials)
						.apply(preset);
					double startUpSeconds = (System.nanoTime() - start) / 1e9;
					if (style != null) {
						SagaStyles.awaitAppliedBy(launcher.urls(Landscape.MONOLITH), adminCredentials, style,
								Duration.ofSeconds(15));
					}
					runs.add(measure(name, preset, launcher, gateway, startUp, startUpSeconds, out));
				}
			}
		}
		finally {
			if (!this.sagaStyles.isEmpty()) {
				// the style config-repo had, for the deployment left running too
				sagaStyle.change(styleBefore);
				try {
					SagaStyles.awaitAppliedBy(launcher.urls(Landscape.MONOLITH), adminCredentials, styleBefore,
							Duration.ofSeconds(15));
				}
				catch (LaunchException ex) {
					out.accept("config-repo's saga style is " + styleBefore + " again, but " + ex.getMessage());
				}
			}
		}
		Path folder = this.reports.resolve(Instant.now().toString().replace(':', '-').replaceAll("\\.\\d+Z$", "Z"));
		Comparison comparison = new Comparison(
				String.join(" vs ", runs.stream().map(DeploymentRun::name).toList()) + ": the same workload", this.rate,
				this.duration, Instant.now(), runs);
		boolean holds;
		try {
			holds = CompareReport.write(comparison, folder);
		}
		catch (IOException ex) {
			throw new LaunchException("cannot write the report to " + folder + ": " + ex.getMessage());
		}
		out.accept("");
		for (DeploymentRun run : runs) {
			out.accept("%-8s %s".formatted(run.name(), headline(run)));
		}
		out.accept("report: %s (and compare.html), the whole comparison took %.1f min"
			.formatted(folder.resolve("compare.md"), (System.nanoTime() - begin) / 60e9));
		String last = this.presets.get(this.presets.size() - 1).name();
		String sagas = this.sagaStyles.isEmpty() ? "" : ", its new orders' sagas " + styleBefore + " again";
		out.accept(("left as it is: the %s deployment runs%s (./kit down stops it), and config-repo holds its routes"
				+ " and handoffs (git diff config-repo shows them; ./kit up before moves every module back)")
			.formatted(last, sagas));
		if (!holds) {
			out.accept("INVARIANTS FAILED: see the top of the report");
		}
		return holds ? 0 : 1;
	}

	private DeploymentRun measure(String name, Preset preset, Launcher launcher, URI gateway,
			Map<String, Double> startUp, double startUpSeconds, Consumer<String> out) {
		ShopFacts shop = new ShopFacts(gateway);
		shop.setStock(ShopWorkload.STOCK, Duration.ofSeconds(30));
		OrderCosts costsBefore = OrderCosts.read(this.env);
		ShopWorkload warmUp = new ShopWorkload(2);
		if (!this.warmUp.isZero()) {
			out.accept("warming up: %.0f requests/s for %d s".formatted(this.rate, this.warmUp.toSeconds()));
			new Workload(gateway, this.rate, this.warmUp, warmUp).listener(warmUp)
				.progress(PROGRESS_EVERY, (line) -> out.accept("  warm-up " + line))
				.run();
		}
		String before = scrape(launcher);
		Map<String, Double> cpuBefore = cpuSeconds(launcher, preset);
		out.accept("measuring: %.0f requests/s for %d s".formatted(this.rate, this.duration.toSeconds()));
		ShopWorkload workload = new ShopWorkload(1);
		WorkloadResult result = new Workload(gateway, this.rate, this.duration, workload).listener(workload)
			.progress(PROGRESS_EVERY, (line) -> out.accept("  " + line))
			.run();
		out.accept("waiting for every saga to end, then checking the invariants");
		warmUp.resolveUnanswered(shop);
		workload.resolveUnanswered(shop);
		List<ShopWorkload.PlacedOrder> placed = new ArrayList<>(warmUp.placed());
		placed.addAll(workload.placed());
		List<Invariants.OrderFacts> orders = shop.orders(placed, SETTLE);
		List<Invariants.StockFacts> stock = shop.stock(ShopWorkload.STOCK, Duration.ofSeconds(15));
		long backlog = awaitOutboxDrained(launcher, Duration.ofSeconds(15));
		PerOrder perOrder = OrderCosts.read(this.env).since(costsBefore, placed.size());
		String after = scrape(launcher);
		Map<String, Double> cpuAfter = cpuSeconds(launcher, preset);
		List<InvariantCheck> invariants = Invariants.check(orders, stock, backlog,
				Math.round(PrometheusText.sum(after, "kit_messaging_dead_letters")));
		List<Footprint> footprint = new ArrayList<>();
		for (String app : preset.apps()) {
			launcher.running(app).ifPresent((process) -> {
				Long rss = Status.rssKb(process.pid());
				footprint.add(new Footprint(app, process.pid(), (rss != null) ? rss * 1024 : 0,
						cpuAfter.getOrDefault(app, 0.0) - cpuBefore.getOrDefault(app, 0.0),
						startUp.getOrDefault(app, 0.0)));
			});
		}
		return new DeploymentRun(name, preset.description(), result, footprint, startUpSeconds,
				summary(PrometheusText.Histogram.of(after, "shop_orders_saga_seconds")
					.minus(PrometheusText.Histogram.of(before, "shop_orders_saga_seconds"))),
				summary(PrometheusText.Histogram.of(after, "kit_messaging_lag_seconds")
					.minus(PrometheusText.Histogram.of(before, "kit_messaging_lag_seconds"))),
				perOrder, invariants);
	}

	/**
	 * @return the summary of a histogram of Prometheus text (seconds), or null when
	 * nothing was recorded
	 */
	private static Summary summary(PrometheusText.Histogram histogram) {
		if (histogram.count() == 0) {
			return null;
		}
		return new Summary(histogram.count(), histogram.quantileMs(0.5), histogram.quantileMs(0.9),
				histogram.quantileMs(0.99), histogram.quantileMs(1.0));
	}

	private static String headline(DeploymentRun run) {
		WorkloadResult.Percentiles all = WorkloadResult.Percentiles.of(run.workload().histogram());
		long memory = run.processes().stream().mapToLong(Footprint::rssBytes).sum();
		return "%d processes, %d MiB, p50 %.1f ms, p99 %.1f ms, %.1f req/s, %d errors, invariants %s".formatted(
				run.processes().size(), memory >> 20, all.p50Ms(), all.p99Ms(), run.workload().throughputPerSecond(),
				run.workload().errors(), run.invariantsHold() ? "hold" : "FAILED");
	}

	/** Every measured application's Prometheus text, one after the other. */
	static String scrape(Launcher launcher) {
		StringBuilder text = new StringBuilder();
		for (String app : MEASURED) {
			if (launcher.running(app).isPresent()) {
				Http.get(Tls.local(Landscape.PORTS.get(app)).resolve("/actuator/prometheus"),
						Credential.ADMIN.current(), "text/plain")
					.filter((response) -> response.statusCode() == 200)
					.ifPresent((response) -> text.append(response.body()).append('\n'));
			}
		}
		return text.toString();
	}

	static long awaitOutboxDrained(Launcher launcher, Duration timeout) {
		return Poll.until(timeout, Duration.ofMillis(500),
				() -> Math.round(PrometheusText.sum(scrape(launcher), "kit_outbox_incomplete")),
				(backlog) -> backlog == 0);
	}

	/** CPU time (user + system) each process of the preset used so far, from /proc. */
	private static Map<String, Double> cpuSeconds(Launcher launcher, Preset preset) {
		Map<String, Double> seconds = new java.util.HashMap<>();
		for (String app : preset.apps()) {
			Optional<ProcessHandle> process = launcher.running(app);
			process.flatMap((handle) -> handle.info().totalCpuDuration())
				.ifPresent((cpu) -> seconds.put(app, cpu.toNanos() / 1e9));
		}
		return seconds;
	}

}
