package dev.stranglerkit.ownership;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Holds the application's decisions by ownership while they are not
 * {@link Ownership#confirmed confirmed} (it started from its last known configuration):
 * its consumer (kit-messaging's, which it configures) does not start with the
 * application, so the messages wait in its queue, where no time limit applies (a message
 * deferred as not ready would be dead-lettered after
 * {@code kit.messaging.consumer.not-ready-timeout}); it starts once the config server's
 * configuration is in force, looked at every second. An event handled in the process
 * waits in the outbox meanwhile ({@link OwnershipUnconfirmedException}).
 * <p>
 * Its health ({@code ownershipHold}, in {@code GET /actuator/health/config}) is UP either
 * way, the application serves, with {@code decisions} {@code held} or {@code made}.
 */
final class OwnershipHold
		implements SmartLifecycle, HealthIndicator, ContainerCustomizer<SimpleMessageListenerContainer> {

	private static final Logger log = LoggerFactory.getLogger(OwnershipHold.class);

	private static final Duration LOOK = Duration.ofSeconds(1);

	private final Ownership ownership;

	private final ObjectProvider<AbstractMessageListenerContainer> consumer;

	private volatile ScheduledExecutorService looking;

	OwnershipHold(Ownership ownership, ObjectProvider<AbstractMessageListenerContainer> consumer) {
		this.ownership = ownership;
		this.consumer = consumer;
	}

	/**
	 * Keeps the consumer from starting with the application while the ownership is not
	 * confirmed; {@link #start} starts it once it is.
	 */
	@Override
	public void configure(SimpleMessageListenerContainer container) {
		container.setAutoStartup(this.ownership.confirmed());
	}

	@Override
	public Health health() {
		if (this.ownership.confirmed()) {
			return Health.up().withDetail("decisions", "made").build();
		}
		return Health.up()
			.withDetail("decisions", "held")
			.withDetail("why",
					"started from the last known configuration while the config server did not answer: "
							+ "a handoff may have been written since. The consumer waits, and so does every decision "
							+ "by ownership, until the server answers")
			.build();
	}

	@Override
	public synchronized void start() {
		if (!this.ownership.confirmed()) {
			log.warn("Decisions by ownership held, consumer not started: the configuration is the last known one "
					+ "(the config server did not answer); they are made once it answers");
			this.looking = Executors
				.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kit-ownership-hold").daemon().factory());
			this.looking.scheduleWithFixedDelay(this::release, LOOK.toMillis(), LOOK.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void release() {
		if (this.ownership.confirmed()) {
			this.consumer.ifAvailable((container) -> {
				if (!container.isRunning()) {
					container.start();
				}
			});
			log.info("The configuration is the config server's: decisions by ownership are made, the consumer runs");
			stop();
		}
	}

	@Override
	public synchronized void stop() {
		if (this.looking != null) {
			this.looking.shutdown();
			this.looking = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.looking != null;
	}

}
