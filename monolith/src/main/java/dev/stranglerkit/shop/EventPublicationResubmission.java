package dev.stranglerkit.shop;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Retries the event publications whose listener failed (a deadlock, a lost connection) or
 * that went stale, so that a saga never stops half-way. Listeners are idempotent per
 * order, so a retry of work that did succeed changes nothing.
 */
@Component
class EventPublicationResubmission implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(EventPublicationResubmission.class);

	private final FailedEventPublications failed;

	private final ResubmissionProperties properties;

	EventPublicationResubmission(FailedEventPublications failed, ResubmissionProperties properties) {
		this.failed = failed;
		this.properties = properties;
	}

	/**
	 * Runs every {@code interval} of the typed properties, the one place it is
	 * configured.
	 */
	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(new FixedDelayTask(this::resubmitFailedPublications, this.properties.interval(),
				this.properties.interval()));
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

	/**
	 * @param interval how often failed publications are resubmitted
	 * @param minAge how long a publication has failed before it is resubmitted
	 * @param batchSize how many publications one round resubmits at most
	 */
	@ConfigurationProperties("shop.events.resubmission")
	record ResubmissionProperties(@DefaultValue("10s") Duration interval, @DefaultValue("5s") Duration minAge,
			@DefaultValue("100") int batchSize) {
	}

}
