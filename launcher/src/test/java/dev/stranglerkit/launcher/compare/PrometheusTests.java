package dev.stranglerkit.launcher.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reading Micrometer's Prometheus text: sums and histogram percentiles between two
 * scrapes.
 */
class PrometheusTests {

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
		assertThat(Prometheus.sum(AFTER, "kit_messaging_dead_letters")).isEqualTo(3.0);
		assertThat(Prometheus.sum(BEFORE, "kit_outbox_incomplete")).isEqualTo(2.0);
		assertThat(Prometheus.sum(AFTER, "kit_messaging_deferred")).isZero();
	}

	@Test
	void tellsThePercentilesOfTheRunAloneFromTwoScrapes() {
		Prometheus.Histogram run = Prometheus.Histogram.of(AFTER, "shop_orders_saga_seconds")
			.minus(Prometheus.Histogram.of(BEFORE, "shop_orders_saga_seconds"));

		// the run: 10 under 10 ms, 80 more under 100 ms, 20 more under 1 s (10 of them
		// cancelled)
		assertThat(run.count()).isEqualTo(110);
		assertThat(run.quantileMs(0.05)).isCloseTo(10, within(1e-9));
		assertThat(run.quantileMs(0.5)).isCloseTo(100, within(1e-9));
		assertThat(run.quantileMs(0.9)).isCloseTo(1000, within(1e-9));
		Summary summary = run.summary();
		assertThat(summary.count()).isEqualTo(110);
		assertThat(summary.p99Ms()).isCloseTo(1000, within(1e-9));
		assertThat(Prometheus.Histogram.of("", "shop_orders_saga_seconds").summary()).isNull();
	}

}
