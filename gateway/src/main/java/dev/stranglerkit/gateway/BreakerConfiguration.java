package dev.stranglerkit.gateway;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The circuit breaker of a service-mode route: opens when half of the last 10 calls (at
 * least 5) failed, then sends everything to the monolith for 5 s before it tries the
 * service again. Its time limit sits above the HTTP client's response timeout, so a slow
 * service times out there first, with a clear 504 or a fallback.
 */
@Configuration(proxyBeanMethods = false)
class BreakerConfiguration {

	@Bean
	Customizer<ReactiveResilience4JCircuitBreakerFactory> stranglerBreakers() {
		return (factory) -> factory.configureDefault((id) -> new Resilience4JConfigBuilder(id)
			.circuitBreakerConfig(CircuitBreakerConfig.custom()
				.slidingWindowSize(10)
				.minimumNumberOfCalls(5)
				.failureRateThreshold(50)
				.waitDurationInOpenState(Duration.ofSeconds(5))
				.permittedNumberOfCallsInHalfOpenState(2)
				.build())
			.timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(6)).build())
			.build());
	}

}
