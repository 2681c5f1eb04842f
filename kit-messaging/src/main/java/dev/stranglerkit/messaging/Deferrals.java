package dev.stranglerkit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Puts a message that is not ready yet on its queue's wait queue, from where it expires
 * back into the queue after the deferral. The copy is the same message (same id, same
 * body) and must be confirmed by the broker before the original is acknowledged, so a
 * deferral never loses a message; at worst (a crash between the two) it is delivered
 * twice, which the processed-messages table makes harmless.
 */
final class Deferrals {

	/** When the message was first deferred, in epoch milliseconds. */
	static final String DEFERRED_SINCE = "x-kit-deferred-since";

	private final RabbitTemplate rabbit;

	private final String queue;

	private final Duration timeout;

	private final Duration confirmTimeout;

	Deferrals(RabbitTemplate rabbit, String queue, Duration timeout, Duration confirmTimeout) {
		this.rabbit = rabbit;
		this.queue = queue;
		this.timeout = timeout;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * @return how long the message has been deferred so far
	 * @throws AmqpRejectAndDontRequeueException if it has been not ready for longer than
	 * the timeout (it is dead-lettered), or the wait queue did not take it (it is
	 * delivered again)
	 */
	Duration defer(Message message) {
		Long since = message.getMessageProperties().getHeader(DEFERRED_SINCE);
		long now = System.currentTimeMillis();
		Duration waited = Duration.ofMillis((since != null) ? now - since : 0);
		if (waited.compareTo(this.timeout) > 0) {
			throw new NotReadyForTooLongException("not ready for %s (kit.messaging.consumer.not-ready-timeout is %s)"
				.formatted(waited, this.timeout));
		}
		Message copy = MessageBuilder.fromMessage(message)
			.setHeader(DEFERRED_SINCE, (since != null) ? since : now)
			.build();
		CorrelationData correlation = new CorrelationData(message.getMessageProperties().getMessageId());
		this.rabbit.send("", MessagingProperties.waitQueue(this.queue), copy, correlation);
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

	/** A message was not ready for longer than the consumer waits. */
	static final class NotReadyForTooLongException extends RuntimeException {

		NotReadyForTooLongException(String message) {
			super(message);
		}

	}

}
