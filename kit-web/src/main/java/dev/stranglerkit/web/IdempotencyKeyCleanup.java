package dev.stranglerkit.web;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes the {@code Idempotency-Key}s older than {@code kit.web.idempotency.retention},
 * every {@code kit.web.idempotency.cleanup-interval}, and counts them in
 * {@code kit.web.idempotency.expired}. A retry after its key expired is a new request.
 */
final class IdempotencyKeyCleanup implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleanup.class);

	private final IdempotentRequests requests;

	private final IdempotencyProperties properties;

	private final Counter expired;

	private @Nullable ScheduledExecutorService scheduler;

	IdempotencyKeyCleanup(IdempotentRequests requests, IdempotencyProperties properties, MeterRegistry meters) {
		this.requests = requests;
		this.properties = properties;
		this.expired = Counter.builder("kit.web.idempotency.expired")
			.description("Idempotency-Keys deleted after their retention")
			.register(meters);
	}

	void deleteExpiredKeys() {
		try {
			this.expired.increment(this.requests.deleteOlderThan(this.properties.retention()));
		}
		catch (RuntimeException ex) {
			log.warn("Could not delete expired Idempotency-Keys; will try again: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		this.scheduler = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kit-idempotency-cleanup").daemon().factory());
		this.scheduler.scheduleWithFixedDelay(this::deleteExpiredKeys, 0, this.properties.cleanupInterval().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
