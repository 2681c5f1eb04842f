package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
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
 * <p>
 * The message is made on the caller's thread, with the caller's trace context; one
 * publisher thread sends what has queued up, many messages on one channel, each in the
 * trace context it was made in. A channel with confirms outstanding is not reused until
 * they arrived (Spring AMQP waits for them on a thread of its own), so a channel per
 * message meant a thread hop per message and, with many messages in flight, RabbitMQ's
 * channel limit; a channel per batch keeps both to one per batch.
 */
final class ConfirmingRabbitTransport implements EventExternalizationTransport, AutoCloseable {

	/** The most messages one channel sends before it is handed back. */
	static final int MAX_BATCH = 256;

	private static final ContextSnapshotFactory contexts = ContextSnapshotFactory.builder().build();

	private static final Logger log = LoggerFactory.getLogger(ConfirmingRabbitTransport.class);

	private final RabbitTemplate rabbit;

	private final Envelopes envelopes;

	private final Duration confirmTimeout;

	private final Executor completions;

	private final BatchingThread<Outgoing> publisher;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final BrokerRecovery broker;

	/**
	 * Refuses to start when Spring Modulith's staleness check would fail a publication
	 * this relay may still await the confirm of: the application's other instances run
	 * the same check over the same table ({@code ./kit scale}), and one would resubmit a
	 * publication in flight in another, a second send of each slow one. A publication
	 * waits for its confirm at most the confirm timeout, but also for a thread of the
	 * relay before it, and for its completion's write after it; so each staleness time
	 * set ({@code spring.modulith.events.staleness.processing}, {@code published},
	 * {@code resubmitted}) must be at least twice the confirm timeout.
	 * @throws IllegalStateException naming the property and both times
	 */
	static void requireStalenessAboveConfirmTimeout(Environment environment, Duration confirmTimeout) {
		Binder binder = Binder.get(environment);
		for (String state : List.of("processing", "published", "resubmitted")) {
			String property = "spring.modulith.events.staleness." + state;
			Duration staleAfter = binder.bind(property, Duration.class).orElse(Duration.ZERO);
			if (!staleAfter.isZero() && staleAfter.compareTo(confirmTimeout.multipliedBy(2)) < 0) {
				throw new IllegalStateException(("%s (%s) must be at least twice kit.messaging.outbox.confirm-timeout "
						+ "(%s): else the staleness check, which every instance of the application runs, fails a "
						+ "publication whose confirm its relay still awaits, and another instance sends it again")
					.formatted(property, staleAfter, confirmTimeout));
			}
		}
	}

	/**
	 * @param completions runs what follows a confirm, above all the registry's update of
	 * the publication; the confirm itself arrives on the connection's single I/O thread,
	 * which must never wait for the database
	 */
	ConfirmingRabbitTransport(RabbitTemplate rabbit, Envelopes envelopes, Duration confirmTimeout, Executor completions,
			BrokerRecovery broker) {
		this.rabbit = rabbit;
		this.broker = broker;
		this.envelopes = envelopes;
		this.confirmTimeout = confirmTimeout;
		this.completions = completions;
		this.publisher = new BatchingThread<>("kit-outbox-publisher", MAX_BATCH, this::publish);
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
		Message message;
		try {
			message = this.envelopes.toMessage(envelope);
		}
		catch (RuntimeException ex) {
			return failed(new UndeliveredMessageException(
					"could not write %s %s: %s".formatted(envelope.type(), envelope.messageId(), ex.getMessage()), ex));
		}
		CompletableFuture<Void> sent = new CompletableFuture<>();
		if (!this.publisher.add(
				new Outgoing(target.getTarget(), envelope.type(), message, correlation, sent, contexts.captureAll()))) {
			return failed(new UndeliveredMessageException("could not send %s %s: the application is stopping"
				.formatted(envelope.type(), envelope.messageId())));
		}
		this.inFlight.incrementAndGet();
		// The timeout covers the wait for the publisher and the broker's confirm, not the
		// completion work queued behind it.
		return sent.thenCompose((ignored) -> correlation.getFuture())
			.orTimeout(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenApplyAsync((confirm) -> {
				ReturnedMessage returned = correlation.getReturned();
				if (returned != null) {
					throw new UnroutableMessageException(
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
				this.inFlight.decrementAndGet();
				if (failure == null) {
					this.broker.confirmed();
				}
				else if (!(unwrap(failure) instanceof UnroutableMessageException)) {
					this.broker.failed();
				}
				if (failure != null) {
					log.warn("Publication stays incomplete and will be resubmitted: {}", describe(failure, envelope));
				}
			});
	}

	/**
	 * @return how many messages this application has handed to the broker and not yet
	 * seen confirmed or failed
	 */
	int inFlight() {
		return this.inFlight.get();
	}

	/** Sends the batch on one channel; what could not be sent fails. */
	private void publish(List<Outgoing> batch) {
		try {
			this.rabbit.invoke((operations) -> {
				for (Outgoing message : batch) {
					try (ContextSnapshot.Scope scope = message.context().setThreadLocals()) {
						operations.send(message.exchange(), message.routingKey(), message.message(),
								message.correlation());
					}
					message.sent().complete(null);
				}
				return null;
			});
		}
		catch (RuntimeException ex) {
			refuse(batch, ex.getMessage());
		}
	}

	private static void refuse(Collection<Outgoing> messages, String reason) {
		for (Outgoing message : messages) {
			if (!message.sent().isDone()) {
				message.sent()
					.completeExceptionally(new UndeliveredMessageException("could not send %s %s to %s: %s".formatted(
							message.message().getMessageProperties().getType(),
							message.message().getMessageProperties().getMessageId(), message.exchange(), reason)));
			}
		}
	}

	/**
	 * Sends what is queued, then stops the publisher; a message it could not send in time
	 * fails, so its publication stays incomplete and is resubmitted.
	 */
	@Override
	public void close() throws InterruptedException {
		refuse(this.publisher.stop(this.confirmTimeout), "the application is stopping");
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

	/** A message waiting for the publisher, in the trace context it was made in. */
	private record Outgoing(String exchange, String routingKey, Message message, CorrelationData correlation,
			CompletableFuture<Void> sent, ContextSnapshot context) {

	}

	/** The broker did not take responsibility for a message. */
	static class UndeliveredMessageException extends RuntimeException {

		UndeliveredMessageException(String message) {
			super(message);
		}

		UndeliveredMessageException(String message, Throwable cause) {
			super(message, cause);
		}

	}

	/** The broker confirmed the message but could route it to no queue. */
	static final class UnroutableMessageException extends UndeliveredMessageException {

		UnroutableMessageException(String message) {
			super(message);
		}

	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
