package dev.stranglerkit.messaging;

import java.time.Instant;
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
 * confirm) or went stale, every {@code kit.messaging.resubmission.interval}, so that a
 * saga never stops half-way and an event waits out a broker outage in the outbox.
 * Consumers and listeners are idempotent, so a retry of work that did succeed changes
 * nothing.
 */
final class PublicationResubmission implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PublicationResubmission.class);

	private final FailedEventPublications failed;

	private final MessagingProperties.Resubmission properties;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private @Nullable ScheduledFuture<?> task;

	PublicationResubmission(FailedEventPublications failed, MessagingProperties.Resubmission properties) {
		this.failed = failed;
		this.properties = properties;
		this.scheduler.setThreadNamePrefix("kit-resubmission-");
	}

	void resubmitFailedPublications() {
		try {
			this.failed.resubmit(ResubmissionOptions.defaults()
				.withMinAge(this.properties.minAge())
				.withBatchSize(this.properties.batchSize()));
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
