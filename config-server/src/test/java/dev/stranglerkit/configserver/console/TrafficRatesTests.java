package dev.stranglerkit.configserver.console;

import java.time.Duration;

import dev.stranglerkit.control.PrometheusText;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The live split from two scrapes of the gateway's Prometheus text. */
class TrafficRatesTests {

	static final long SECOND = 1_000_000_000L;

	static String scrape(int monolith, int service, int failed, double seconds) {
		return """
				# HELP strangler_requests_seconds requests through strangler routes
				# TYPE strangler_requests_seconds summary
				strangler_requests_seconds_count{fallback="false",mode="canary",outcome="SUCCESS",route="inventory",target="monolith"} %d.0
				strangler_requests_seconds_sum{fallback="false",mode="canary",outcome="SUCCESS",route="inventory",target="monolith"} %s
				strangler_requests_seconds_count{fallback="false",mode="canary",outcome="SUCCESS",route="inventory",target="inventory-service"} %d.0
				strangler_requests_seconds_sum{fallback="false",mode="canary",outcome="SUCCESS",route="inventory",target="inventory-service"} %s
				strangler_requests_seconds_count{fallback="true",mode="service",outcome="SERVER_ERROR",route="inventory",target="monolith"} %d.0
				strangler_requests_seconds_sum{fallback="true",mode="service",outcome="SERVER_ERROR",route="inventory",target="monolith"} 0.0
				strangler_requests_seconds_count{fallback="false",mode="monolith",outcome="SUCCESS",route="catalog",target="monolith"} 7.0
				strangler_requests_seconds_max{fallback="false",mode="canary",outcome="SUCCESS",route="inventory",target="monolith"} 0.2
				"""
			.formatted(monolith, seconds * monolith, service, seconds * service, failed);
	}

	@Test
	void splitsTheRoutesRequestsByTargetOverTheWindow() {
		TrafficRates rates = new TrafficRates(Duration.ofSeconds(5));
		assertThat(rates.of("inventory")).as("one scrape is no rate").isNull();
		rates.add(0, PrometheusText.parse(scrape(100, 10, 0, 0.010)));
		rates.add(5 * SECOND, PrometheusText.parse(scrape(170, 40, 5, 0.010)));

		TrafficRates.Traffic traffic = rates.of("inventory");
		assertThat(traffic.seconds()).isEqualTo(5.0);
		assertThat(traffic.perSecond()).isCloseTo(21.0, within(1e-9)); // (70 + 30 + 5) /
																		// 5
		assertThat(traffic.errorsPerSecond()).isCloseTo(1.0, within(1e-9));
		assertThat(traffic.fallbacksPerSecond()).isCloseTo(1.0, within(1e-9));
		assertThat(traffic.targets()).extracting(TrafficRates.Target::target)
			.containsExactly("inventory-service", "monolith");
		TrafficRates.Target service = traffic.targets().get(0);
		assertThat(service.perSecond()).isCloseTo(6.0, within(1e-9));
		assertThat(service.share()).isCloseTo(30.0 / 105, within(1e-9));
		assertThat(service.meanMillis()).isCloseTo(10.0, within(1e-6));
		assertThat(rates.of("catalog").perSecond()).isZero();
	}

	@Test
	void looksBackAboutOneWindowAndSurvivesARestartedGateway() {
		TrafficRates rates = new TrafficRates(Duration.ofSeconds(5));
		for (int second = 0; second <= 10; second++) {
			rates.add(second * SECOND, PrometheusText.parse(scrape(10 * second, 0, 0, 0.001)));
		}
		assertThat(rates.of("inventory").seconds()).isEqualTo(5.0);
		assertThat(rates.of("inventory").perSecond()).isCloseTo(10.0, within(1e-9));

		// the gateway restarted: its counters start again from zero
		rates.add(11 * SECOND, PrometheusText.parse(scrape(3, 0, 0, 0.001)));
		assertThat(rates.of("inventory").perSecond()).as("3 requests since the restart, over 5 s")
			.isCloseTo(0.6, within(1e-9));
	}

}
