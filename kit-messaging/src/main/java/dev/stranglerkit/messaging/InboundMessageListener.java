package dev.stranglerkit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.stranglerkit.messaging.Envelopes.MalformedMessageException;
import dev.stranglerkit.messaging.MessageHandlers.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

/**
 * The receiving side for one queue. A message that can never succeed is dead-lettered at
 * once, so it never holds up the messages behind it: a malformed one (not an envelope, an
 * unknown type, a payload that does not bind) or one its handler calls invalid
 * ({@link InvalidMessageException}). Any other failure counts as transient (the database
 * restarting, a deadlock, a lock timeout, the broker going away): the handler is tried
 * again at once a few times, then the message waits on the queue's retry queue and comes
 * back, again and again, while the messages behind it go on; only one that still fails
 * after {@code kit.messaging.consumer.retry-timeout} is dead-lettered, from where
 * {@code ./kit replay} can send it back. Messages the application published itself are
 * skipped.
 */
final class InboundMessageListener implements MessageListener {

	private static final Logger log = LoggerFactory.getLogger(InboundMessageListener.class);

	private final String queue;

	private final MessageHandlers handlers;

	private final Envelopes envelopes;

	private final ProcessedMessages processed;

	private final RetryTemplate retry;

	private final Counter malformed;

	private final Counter invalid;

	private final Counter failed;

	private final Counter notReady;

	private final Counter deferred;

	private final Counter retried;

	private final Deferrals notReadyMessages;

	private final Deferrals failingMessages;

	private final Timer lag;

	InboundMessageListener(String queue, MessageHandlers handlers, Envelopes envelopes, ProcessedMessages processed,
			RetryTemplate retry, MeterRegistry meters, Deferrals notReadyMessages, Deferrals failingMessages) {
		this.queue = queue;
		this.handlers = handlers;
		this.envelopes = envelopes;
		this.processed = processed;
		this.retry = retry;
		this.malformed = deadLettered(meters, "malformed");
		this.invalid = deadLettered(meters, "invalid");
		this.failed = deadLettered(meters, "handler-failed");
		this.notReady = deadLettered(meters, "not-ready");
		this.notReadyMessages = notReadyMessages;
		this.failingMessages = failingMessages;
		this.deferred = Counter.builder("kit.messaging.deferred")
			.description("Messages put back to wait because they were not ready yet")
			.tag("queue", queue)
			.register(meters);
		this.retried = Counter.builder("kit.messaging.retried")
			.description("Messages put back to be tried again later because their handler failed")
			.tag("queue", queue)
			.register(meters);
		this.lag = Timer.builder("kit.messaging.lag")
			.description("From the moment an event happened (its transaction) to its effect here, committed once")
			.tag("queue", queue)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(1))
			.register(meters);
	}

	private Counter deadLettered(MeterRegistry meters, String reason) {
		return Counter.builder("kit.messaging.dead.lettered")
			.description("Messages this application dead-lettered")
			.tag("queue", this.queue)
			.tag("reason", reason)
			.register(meters);
	}

	@Override
	public void onMessage(Message message) {
		EventEnvelope envelope;
		List<Runnable> effects = new ArrayList<>();
		try {
			envelope = this.envelopes.fromMessage(message);
			List<Handler<?>> handlers = this.handlers.handlersFor(envelope.type());
			if (handlers.isEmpty()) {
				throw new MalformedMessageException("no handler for message type '%s' on queue %s"
					.formatted(message.getMessageProperties().getType(), this.queue), null);
			}
			for (Handler<?> handler : handlers) {
				Object payload = this.envelopes.payload(envelope, handler.payloadType());
				effects.add(() -> handler.handle(payload, envelope));
			}
		}
		catch (MalformedMessageException ex) {
			this.malformed.increment();
			log.warn("Dead-lettering malformed message {} from queue {}: {}",
					message.getMessageProperties().getMessageId(), this.queue, ex.getMessage());
			throw new AmqpRejectAndDontRequeueException("Malformed message: " + ex.getMessage(), ex);
		}
		if (this.envelopes.source().equals(envelope.source())) {
			log.debug("Skipping {} {}: published by this application", envelope.type(), envelope.messageId());
			return;
		}
		try {
			Boolean applied = this.retry
				.execute(() -> this.processed.processOnce(this.queue, envelope, () -> effects.forEach(Runnable::run)));
			if (Boolean.TRUE.equals(applied)) {
				this.lag.record(Duration.between(envelope.occurredAt(), Instant.now()));
			}
		}
		catch (RetryException ex) {
			Throwable cause = ex.getLastException();
			if (cause instanceof MessageNotReadyException notReady) {
				putBack(message, envelope, this.notReadyMessages, this.deferred, this.notReady, notReady);
			}
			else if (cause instanceof InvalidMessageException invalid) {
				this.invalid.increment();
				log.warn("Dead-lettering {} {} from queue {}: its handler says it can never succeed: {}",
						envelope.type(), envelope.messageId(), this.queue, invalid.getMessage());
				throw new AmqpRejectAndDontRequeueException("Invalid: " + invalid.getMessage(), invalid);
			}
			else {
				putBack(message, envelope, this.failingMessages, this.retried, this.failed, cause);
			}
		}
	}

	/**
	 * Puts the message back to wait on a delay queue and acknowledges it, or dead-letters
	 * it when it has waited for too long; a message the delay queue does not take is
	 * delivered again as it is.
	 */
	private void putBack(Message message, EventEnvelope envelope, Deferrals delay, Counter putBack,
			Counter deadLettered, Throwable reason) {
		try {
			Duration waited = delay.defer(message);
			putBack.increment();
			if (delay == this.failingMessages) {
				log.info("Retrying {} {} from queue {} later (failing for {}): {}", envelope.type(),
						envelope.messageId(), this.queue, waited, reason.toString());
			}
			else {
				log.debug("Deferring {} {} from queue {} (waiting for {}): {}", envelope.type(), envelope.messageId(),
						this.queue, waited, reason.getMessage());
			}
		}
		catch (Deferrals.WaitedTooLongException ex) {
			deadLettered.increment();
			log.warn("Dead-lettering {} {} from queue {}: {}; last reason: {}", envelope.type(), envelope.messageId(),
					this.queue, ex.getMessage(), reason.toString());
			throw new AmqpRejectAndDontRequeueException("Gave up: " + reason, ex);
		}
		catch (RuntimeException ex) {
			// the delay queue did not take it: back to this queue as it is, delivered
			// again
			log.warn("Could not put back {} {} from queue {}; it is delivered again: {}", envelope.type(),
					envelope.messageId(), this.queue, ex.getMessage());
			throw new ImmediateRequeueAmqpException("Could not put back: " + ex.getMessage(), ex);
		}
	}

}
