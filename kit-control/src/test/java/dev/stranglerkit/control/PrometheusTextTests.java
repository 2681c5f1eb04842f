package dev.stranglerkit.control;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reading Micrometer's Prometheus text: sums and histogram percentiles between two
 * scrapes.
 */
class PrometheusTextTests {

	static final String BEFORE = """
			# HELP kit_outbox_incomplete Incomplete publications
			# TYPE kit_outbox_incomplete gauge
			kit_outbox_incomplete 2.0
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="0.01"} 1
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="0.1"} 4
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="1.0"} 5
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="+Inf"} 5
			shop_orders_saga_seconds_count{outcome="confirmed"} 5
			""";

	static final String AFTER = """
			kit_outbox_incomplete 0.0
			kit_messaging_dead_letters{queue="monolith"} 1.0
			kit_messaging_dead_letters{queue="inventory-service"} 2.0
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="0.01"} 11
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="0.1"} 94
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="1.0"} 105
			shop_orders_saga_seconds_bucket{outcome="confirmed",le="+Inf"} 105
			shop_orders_saga_seconds_bucket{outcome="cancelled",le="0.01"} 0
			shop_orders_saga_seconds_bucket{outcome="cancelled",le="0.1"} 0
			shop_orders_saga_seconds_bucket{outcome="cancelled",le="1.0"} 10
			shop_orders_saga_seconds_bucket{outcome="cancelled",le="+Inf"} 10
			""";

	@Test
	void sumsAMetricOverItsLabelSets() {
		assertThat(PrometheusText.sum(AFTER, "kit_messaging_dead_letters")).isEqualTo(3.0);
		assertThat(PrometheusText.sum(BEFORE, "kit_outbox_incomplete")).isEqualTo(2.0);
		assertThat(PrometheusText.sum(AFTER, "kit_messaging_deferred")).isZero();
	}

	@Test
	void readsLabelsAndSkipsCommentsAndWhatIsNoSample() {
		List<PrometheusText.Sample> samples = PrometheusText.parse(AFTER + "not a sample\n# HELP x y\n");
		assertThat(samples).hasSize(11);
		assertThat(samples.get(1).label("queue")).isEqualTo("monolith");
		assertThat(samples.get(1).label("absent")).isEmpty();
		assertThat(PrometheusText.sum(samples, "kit_messaging_deferred")).isNull();
	}

	@Test
	void tellsThePercentilesOfTheRunAloneFromTwoScrapes() {
		PrometheusText.Histogram run = PrometheusText.Histogram.of(AFTER, "shop_orders_saga_seconds")
			.minus(PrometheusText.Histogram.of(BEFORE, "shop_orders_saga_seconds"));

		// the run: 10 under 10 ms, 80 more under 100 ms, 20 more under 1 s (10 of them
		// cancelled)
		assertThat(run.count()).isEqualTo(110);
		assertThat(run.quantileMs(0.05)).isCloseTo(10, within(1e-9));
		assertThat(run.quantileMs(0.5)).isCloseTo(100, within(1e-9));
		assertThat(run.quantileMs(0.9)).isCloseTo(1000, within(1e-9));
		assertThat(run.quantileMs(0.99)).isCloseTo(1000, within(1e-9));
		assertThat(PrometheusText.Histogram.of("", "shop_orders_saga_seconds").count()).isZero();
	}

}
