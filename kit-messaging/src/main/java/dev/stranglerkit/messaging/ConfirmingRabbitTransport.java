package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.support.EventExternalizationTransport;

/**
 * The outbox relay's way to the broker. Spring Modulith's registry listener hands it each
 * externalized event and completes the event's publication only when the future returned
 * here completes; it stays incomplete (and is resubmitted) when the future fails. The
 * future completes only when RabbitMQ has confirmed the message <em>and</em> routed it to
 * at least one queue: the message is published as mandatory, and a returned message or a
 * negative confirm fails it, as does a missing confirm after the timeout. (RabbitMQ
 * confirms an unroutable message too, so a confirm alone does not prove delivery.)
 */
final class ConfirmingRabbitTransport implements EventExternalizationTransport {

	private static final Logger log = LoggerFactory.getLogger(ConfirmingRabbitTransport.class);

	private final RabbitTemplate rabbit;

	private final Envelopes envelopes;

	private final Duration confirmTimeout;

	private final Executor completions;

	/**
	 * @param completions runs what follows a confirm, above all the registry's update of
	 * the publication; the confirm itself arrives on the connection's single I/O thread,
	 * which must never wait for the database
	 */
	ConfirmingRabbitTransport(RabbitTemplate rabbit, Envelopes envelopes, Duration confirmTimeout,
			Executor completions) {
		this.rabbit = rabbit;
		this.envelopes = envelopes;
		this.confirmTimeout = confirmTimeout;
		this.completions = completions;
	}

	@Override
	public CompletableFuture<?> externalize(Object event, RoutingTarget target) {
		if (!(event instanceof IntegrationEvent integrationEvent)) {
			return failed(new UndeliveredMessageException(
					"%s is marked @Externalized but is not an %s, so it has no stable message id"
						.formatted(event.getClass().getName(), IntegrationEvent.class.getSimpleName())));
		}
		String key = target.getKey();
		EventEnvelope envelope = this.envelopes.envelope(integrationEvent, (key != null) ? key : target.getTarget());
		CorrelationData correlation = new CorrelationData(envelope.messageId());
		try {
			this.rabbit.send(target.getTarget(), envelope.type(), this.envelopes.toMessage(envelope), correlation);
		}
		catch (RuntimeException ex) {
			return failed(new UndeliveredMessageException("could not send %s %s to %s: %s".formatted(envelope.type(),
					envelope.messageId(), target.getTarget(), ex.getMessage()), ex));
		}
		// The timeout covers the broker's confirm only, not the completion work queued
		// behind it.
		return correlation.getFuture()
			.copy()
			.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenApplyAsync((confirm) -> {
				ReturnedMessage returned = correlation.getReturned();
				if (returned != null) {
					throw new UndeliveredMessageException(
							"%s %s was returned by the broker as unroutable (%d %s): no queue is bound to exchange '%s' with routing key '%s'"
								.formatted(envelope.type(), envelope.messageId(), returned.getReplyCode(),
										returned.getReplyText(), returned.getExchange(), returned.getRoutingKey()));
				}
				if (!confirm.ack()) {
					throw new UndeliveredMessageException("%s %s was not accepted by the broker (nack: %s)"
						.formatted(envelope.type(), envelope.messageId(), confirm.reason()));
				}
				return envelope.messageId();
			}, this.completions)
			.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((messageId, failure) -> {
				if (failure != null) {
					log.warn("Publication stays incomplete and will be resubmitted: {}", describe(failure, envelope));
				}
			});
	}

	private CompletableFuture<?> failed(UndeliveredMessageException failure) {
		log.warn("Publication stays incomplete and will be resubmitted: {}", failure.getMessage());
		return CompletableFuture.failedFuture(failure);
	}

	private String describe(Throwable failure, EventEnvelope envelope) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		if (cause instanceof TimeoutException) {
			return "%s %s was not confirmed by the broker within %s".formatted(envelope.type(), envelope.messageId(),
					this.confirmTimeout);
		}
		return cause.getMessage();
	}

	/** The broker did not take responsibility for a message. */
	static final class UndeliveredMessageException extends RuntimeException {

		UndeliveredMessageException(String message) {
			super(message);
		}

		UndeliveredMessageException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
