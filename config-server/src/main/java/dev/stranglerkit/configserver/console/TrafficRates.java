package dev.stranglerkit.configserver.console;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.stranglerkit.control.PrometheusText;

/**
 * The live traffic of each strangler route, from successive scrapes of the gateway's
 * {@code strangler_requests_seconds} timer: requests per second by target, errors and
 * mean latency, over the last {@code window} (the counters only ever grow; the rates are
 * their differences between a scrape about a window ago and the newest).
 */
final class TrafficRates {

	/** outcomes that count as errors: a 5xx, or no answer at all */
	private static final Set<String> ERRORS = Set.of("SERVER_ERROR", "ERROR");

	/** One timer: the requests of a route served by a target, with an outcome. */
	record Series(String route, String target, String outcome, boolean fallback) {
	}

	/** A timer's count and total seconds at one scrape. */
	record Totals(double count, double seconds) {
	}

	private record Scrape(long nanos, Map<Series, Totals> totals) {
	}

	/** The requests of one target of a route over the window. */
	record Target(String target, double perSecond, double share, double errorsPerSecond, Double meanMillis) {
	}

	/** A route's traffic over the window. */
	record Traffic(double seconds, double perSecond, double errorsPerSecond, double fallbacksPerSecond,
			Double meanMillis, List<Target> targets) {
	}

	private final Duration window;

	private final Deque<Scrape> scrapes = new ArrayDeque<>();

	TrafficRates(Duration window) {
		this.window = window;
	}

	/** Records a scrape of the gateway's metrics, taken at the given time. */
	synchronized void add(long nanos, List<PrometheusText.Sample> samples) {
		Map<Series, Totals> totals = new HashMap<>();
		for (PrometheusText.Sample sample : samples) {
			boolean count = sample.name().equals("strangler_requests_seconds_count");
			if (!count && !sample.name().equals("strangler_requests_seconds_sum")) {
				continue;
			}
			// summed over the mode the request had: the split is by target
			Series series = new Series(sample.label("route"), sample.label("target"), sample.label("outcome"),
					sample.label("fallback").equals("true"));
			totals.merge(series, count ? new Totals(sample.value(), 0) : new Totals(0, sample.value()),
					(a, b) -> new Totals(a.count() + b.count(), a.seconds() + b.seconds()));
		}
		this.scrapes.addLast(new Scrape(nanos, totals));
		// keep the newest scrape that is at least a window old as the baseline
		while (this.scrapes.size() > 2) {
			Iterator<Scrape> oldest = this.scrapes.iterator();
			oldest.next();
			Scrape second = oldest.next();
			if (nanos - second.nanos() < this.window.toNanos()) {
				break;
			}
			this.scrapes.removeFirst();
		}
	}

	/**
	 * @return the route's traffic between the baseline and the newest scrape, or null
	 * before there are two scrapes
	 */
	synchronized Traffic of(String route) {
		if (this.scrapes.size() < 2) {
			return null;
		}
		Scrape from = this.scrapes.getFirst();
		Scrape to = this.scrapes.getLast();
		double seconds = (to.nanos() - from.nanos()) / 1e9;
		Map<String, double[]> byTarget = new HashMap<>(); // count, errors, seconds
		double fallbacks = 0;
		for (Map.Entry<Series, Totals> entry : to.totals().entrySet()) {
			Series series = entry.getKey();
			if (!series.route().equals(route)) {
				continue;
			}
			Totals before = from.totals().getOrDefault(series, new Totals(0, 0));
			// a gateway that restarted starts its counters again from zero
			boolean reset = entry.getValue().count() < before.count();
			double count = entry.getValue().count() - (reset ? 0 : before.count());
			double time = entry.getValue().seconds() - (reset ? 0 : before.seconds());
			double[] target = byTarget.computeIfAbsent(series.target(), (name) -> new double[3]);
			target[0] += count;
			target[1] += ERRORS.contains(series.outcome()) ? count : 0;
			target[2] += time;
			fallbacks += series.fallback() ? count : 0;
		}
		double total = byTarget.values().stream().mapToDouble((target) -> target[0]).sum();
		double errors = byTarget.values().stream().mapToDouble((target) -> target[1]).sum();
		double time = byTarget.values().stream().mapToDouble((target) -> target[2]).sum();
		List<Target> targets = byTarget.entrySet()
			.stream()
			.map((entry) -> new Target(entry.getKey(), entry.getValue()[0] / seconds,
					(total > 0) ? entry.getValue()[0] / total : 0, entry.getValue()[1] / seconds,
					(entry.getValue()[0] > 0) ? 1000 * entry.getValue()[2] / entry.getValue()[0] : null))
			.sorted(Comparator.comparing(Target::target))
			.toList();
		return new Traffic(seconds, total / seconds, errors / seconds, fallbacks / seconds,
				(total > 0) ? 1000 * time / total : null, targets);
	}

}
