package dev.stranglerkit.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.control.SagaStyleFile;

/**
 * {@code ./kit saga}: the style of new orders' sagas, in {@code config-repo/monolith.yml}
 * ({@code shop.saga.style}), switched the way a route is: the file changes, the config
 * server refreshes the monolith over the bus, and this waits until each running monolith
 * says it applies the new style ({@code shop_orders_saga_style}).
 */
final class SagaStyles {

	private final SagaStyleFile file;

	SagaStyles(Path configRepo) {
		this.file = new ConfigRepo(configRepo).sagaStyle();
	}

	String current() {
		return this.file.style();
	}

	/**
	 * Writes the new style.
	 * @throws LaunchException for a style the monolith does not know; nothing is written
	 */
	void change(String style) {
		try {
			this.file.change(style);
		}
		catch (IllegalArgumentException ex) {
			throw new LaunchException(ex.getMessage());
		}
	}

	/**
	 * Waits until every monolith applies the style.
	 * @return how long each took
	 * @throws LaunchException when one does not within the timeout
	 */
	static Map<URI, Duration> awaitAppliedBy(List<URI> monoliths, String admin, String style, Duration timeout) {
		Map<URI, Duration> took = new LinkedHashMap<>();
		for (URI monolith : monoliths) {
			long begin = System.nanoTime();
			Poll.await(timeout, Duration.ofMillis(200), () -> applied(monolith, admin, style),
					() -> "the monolith at " + monolith + " did not apply saga style " + style + " within "
							+ timeout.toSeconds() + " s: is the config server running (./kit status)?");
			took.put(monolith, Duration.ofNanos(System.nanoTime() - begin));
		}
		return took;
	}

	/**
	 * @return whether the monolith applies the style now: its gauge for that style is 1
	 */
	static boolean applied(URI monolith, String admin, String style) {
		return Http.get(monolith.resolve("/actuator/prometheus"), admin, "text/plain")
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> PrometheusText.parse(response.body())
				.stream()
				.anyMatch((sample) -> sample.name().equals("shop_orders_saga_style")
						&& style.equals(sample.label("style")) && sample.value() == 1))
			.orElse(false);
	}

}
