package dev.stranglerkit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Resubmits the event publications that failed (a listener threw, the broker did not
 * confirm) or went stale, so that a saga never stops half-way and an event waits out a
 * broker outage in the outbox. Consumers and listeners are idempotent, so a retry of work
 * that did succeed changes nothing.
 * <p>
 * It looks every {@code kit.messaging.resubmission.interval}; while a round finds
 * publications that are due, the next round follows at once, so a backlog after an outage
 * drains at the relay's own pace rather than one batch per interval. It waits while
 * {@code max-in-flight} messages of this application await the broker's confirm. Which
 * publications are due, and the claim that keeps two instances from taking the same one,
 * is {@link FailedPublicationClaims}'s.
 */
final class PublicationResubmission implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PublicationResubmission.class);

	/** How long a round waits for confirms when too many messages are in flight. */
	static final Duration IN_FLIGHT_PAUSE = Duration.ofMillis(20);

	private final FailedEventPublications failed;

	private final MessagingProperties.Resubmission properties;

	private final IntSupplier inFlight;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private volatile @Nullable ScheduledFuture<?> task;

	PublicationResubmission(FailedEventPublications failed, MessagingProperties.Resubmission properties,
			IntSupplier inFlight) {
		this.failed = failed;
		this.properties = properties;
		this.inFlight = inFlight;
		this.scheduler.setThreadNamePrefix("kit-resubmission-");
	}

	/**
	 * Resubmits rounds of due publications until a round finds none, for at most one
	 * interval (then the scheduler calls again).
	 */
	void resubmitFailedPublications() {
		long until = System.nanoTime() + this.properties.interval().toNanos();
		try {
			while (this.task != null && System.nanoTime() < until) {
				if (this.inFlight.getAsInt() >= this.properties.maxInFlight()) {
					LockSupport.parkNanos(IN_FLIGHT_PAUSE.toNanos());
					continue;
				}
				AtomicInteger found = new AtomicInteger();
				this.failed.resubmit(ResubmissionOptions.defaults()
					.withMinAge(this.properties.minAge())
					.withBatchSize(this.properties.batchSize())
					.withFilter((publication) -> found.incrementAndGet() > 0));
				if (found.get() == 0) {
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not resubmit failed event publications; will try again: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		this.scheduler.initialize();
		this.task = this.scheduler.scheduleWithFixedDelay(this::resubmitFailedPublications,
				Instant.now().plus(this.properties.interval()), this.properties.interval());
	}

	@Override
	public void stop() {
		if (this.task != null) {
			this.task.cancel(false);
			this.task = null;
		}
		this.scheduler.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
