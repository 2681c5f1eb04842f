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
 * The receiving side for one queue. A malformed message (not an envelope, an unknown
 * type, a payload that does not bind) is dead-lettered at once, so it never holds up the
 * messages behind it; a handler that fails is retried a bounded number of times, then its
 * message is dead-lettered too. Messages the application published itself are skipped.
 */
final class InboundMessageListener implements MessageListener {

	private static final Logger log = LoggerFactory.getLogger(InboundMessageListener.class);

	private final String queue;

	private final MessageHandlers handlers;

	private final Envelopes envelopes;

	private final ProcessedMessages processed;

	private final RetryTemplate retry;

	private final Counter malformed;

	private final Counter failed;

	private final Counter notReady;

	private final Counter deferred;

	private final Deferrals deferrals;

	private final Timer lag;

	InboundMessageListener(String queue, MessageHandlers handlers, Envelopes envelopes, ProcessedMessages processed,
			RetryTemplate retry, MeterRegistry meters, Deferrals deferrals) {
		this.queue = queue;
		this.handlers = handlers;
		this.envelopes = envelopes;
		this.processed = processed;
		this.retry = retry;
		this.malformed = deadLettered(meters, "malformed");
		this.failed = deadLettered(meters, "handler-failed");
		this.notReady = deadLettered(meters, "not-ready");
		this.deferrals = deferrals;
		this.deferred = Counter.builder("kit.messaging.deferred")
			.description("Messages put back to wait because they were not ready yet")
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
			if (ex.getLastException() instanceof MessageNotReadyException notReady) {
				defer(message, envelope, notReady);
				return;
			}
			this.failed.increment();
			log.warn("Dead-lettering {} {} from queue {} after {} failed attempts: {}", envelope.type(),
					envelope.messageId(), this.queue, ex.getRetryCount() + 1, ex.getLastException().toString());
			throw new AmqpRejectAndDontRequeueException("Handler failed: " + ex.getLastException(), ex);
		}
	}

	private void defer(Message message, EventEnvelope envelope, MessageNotReadyException reason) {
		try {
			Duration waited = this.deferrals.defer(message);
			this.deferred.increment();
			log.debug("Deferring {} {} from queue {} (waiting for {}): {}", envelope.type(), envelope.messageId(),
					this.queue, waited, reason.getMessage());
		}
		catch (Deferrals.NotReadyForTooLongException ex) {
			this.notReady.increment();
			log.warn("Dead-lettering {} {} from queue {}: {}; last reason: {}", envelope.type(), envelope.messageId(),
					this.queue, ex.getMessage(), reason.getMessage());
			throw new AmqpRejectAndDontRequeueException("Not ready: " + reason.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			// the wait queue did not take it: back to this queue as it is, delivered
			// again
			log.warn("Could not defer {} {} from queue {}; it is delivered again: {}", envelope.type(),
					envelope.messageId(), this.queue, ex.getMessage());
			throw new ImmediateRequeueAmqpException("Could not defer: " + ex.getMessage(), ex);
		}
	}

}
