package dev.stranglerkit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Puts a message back to wait on one of its queue's delay queues, from where it expires
 * back into the queue after the delay queue's time to live: the wait queue for a message
 * that is not ready yet, the retry queue for one whose handler failed. The copy is the
 * same message (same id, same body) and must be confirmed by the broker before the
 * original is acknowledged, so a deferral never loses a message; at worst (a crash
 * between the two) it is delivered twice, which the processed-messages table makes
 * harmless. A header on the copy remembers when the message was first put back, so that
 * one that waits for longer than the timeout is dead-lettered instead.
 */
final class Deferrals {

	/** When the message was first deferred as not ready, in epoch milliseconds. */
	static final String DEFERRED_SINCE = "x-kit-deferred-since";

	/** When the message's handler first failed, in epoch milliseconds. */
	static final String FAILING_SINCE = "x-kit-failing-since";

	private final RabbitTemplate rabbit;

	private final String delayQueue;

	private final String sinceHeader;

	private final Duration timeout;

	private final String timeoutProperty;

	private final Duration confirmTimeout;

	/** The copy's time to live, or none for the delay queue's own. */
	private final @Nullable Duration delay;

	private Deferrals(RabbitTemplate rabbit, String delayQueue, @Nullable Duration delay, String sinceHeader,
			Duration timeout, String timeoutProperty, Duration confirmTimeout) {
		this.rabbit = rabbit;
		this.delay = delay;
		this.delayQueue = delayQueue;
		this.sinceHeader = sinceHeader;
		this.timeout = timeout;
		this.timeoutProperty = timeoutProperty;
		this.confirmTimeout = confirmTimeout;
	}

	/** Messages of {@code queue} that are not ready yet, on its wait queue. */
	static Deferrals notReady(RabbitTemplate rabbit, String queue, MessagingProperties properties) {
		return new Deferrals(rabbit, MessagingProperties.waitQueue(queue), null, DEFERRED_SINCE,
				properties.consumer().notReadyTimeout(), "kit.messaging.consumer.not-ready-timeout",
				properties.outbox().confirmTimeout());
	}

	/** Messages of {@code queue} whose handler failed, on its retry queue. */
	static Deferrals failing(RabbitTemplate rabbit, String queue, MessagingProperties properties) {
		return new Deferrals(rabbit, MessagingProperties.retryQueue(queue), properties.consumer().retryDelay(),
				FAILING_SINCE, properties.consumer().retryTimeout(), "kit.messaging.consumer.retry-timeout",
				properties.outbox().confirmTimeout());
	}

	/**
	 * @return how long the message has been deferred so far
	 * @throws WaitedTooLongException if it has been put back for longer than the timeout
	 * (it is to be dead-lettered)
	 * @throws IllegalStateException if the delay queue did not take it (it is to be
	 * delivered again)
	 */
	Duration defer(Message message) {
		Long since = message.getMessageProperties().getHeader(this.sinceHeader);
		long now = System.currentTimeMillis();
		Duration waited = Duration.ofMillis((since != null) ? now - since : 0);
		if (waited.compareTo(this.timeout) > 0) {
			throw new WaitedTooLongException(
					"put back for %s (%s is %s)".formatted(waited, this.timeoutProperty, this.timeout));
		}
		MessageBuilderSupport<Message> copy = MessageBuilder.fromMessage(message)
			.setHeader(this.sinceHeader, (since != null) ? since : now);
		if (this.delay != null) {
			copy.setExpiration(Long.toString(this.delay.toMillis()));
		}
		CorrelationData correlation = new CorrelationData(message.getMessageProperties().getMessageId());
		this.rabbit.send("", this.delayQueue, copy.build(), correlation);
		try {
			CorrelationData.Confirm confirm = correlation.getFuture()
				.get(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!confirm.ack() || correlation.getReturned() != null) {
				throw new IllegalStateException("the broker did not take the deferred copy of message %s at %s"
					.formatted(message.getMessageProperties().getMessageId(), Instant.now()));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while deferring a message", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("the deferred copy of message %s was not confirmed"
				.formatted(message.getMessageProperties().getMessageId()), ex);
		}
		return waited;
	}

	/** A message was put back for longer than the consumer waits. */
	static final class WaitedTooLongException extends RuntimeException {

		WaitedTooLongException(String message) {
			super(message);
		}

	}

}
