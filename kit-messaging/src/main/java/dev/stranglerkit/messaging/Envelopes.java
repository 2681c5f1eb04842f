package dev.stranglerkit.messaging;

import java.util.Date;
import java.util.Optional;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Writes and reads the kit's JSON message form ({@link EventEnvelope}). The message id
 * and the time come from the event itself, so a resubmitted publication produces the same
 * message as the first attempt.
 */
final class Envelopes {

	static final String TRACEPARENT = "traceparent";

	static final String SCHEMA_VERSION = "schema-version";

	private final JsonMapper json;

	private final String source;

	// looked up once, on first use: a lookup per message showed in the outbox's profile
	private final SingletonSupplier<Optional<Tracer>> tracer;

	Envelopes(JsonMapper json, String source, ObjectProvider<Tracer> tracer) {
		this.json = json;
		this.source = source;
		this.tracer = SingletonSupplier.of(() -> Optional.ofNullable(tracer.getIfAvailable()));
	}

	/**
	 * @return this application's {@code spring.application.name}, every envelope's source
	 */
	String source() {
		return this.source;
	}

	EventEnvelope envelope(IntegrationEvent event, String type) {
		ObjectNode payload = this.json.valueToTree(event);
		payload.remove("eventId");
		payload.remove("occurredAt");
		return new EventEnvelope(event.eventId().toString(), type, event.schemaVersion(), event.occurredAt(),
				this.source, currentTraceparent(), payload);
	}

	Message toMessage(EventEnvelope envelope) {
		return MessageBuilder.withBody(this.json.writeValueAsBytes(envelope))
			.setContentType(MessageProperties.CONTENT_TYPE_JSON)
			.setContentEncoding("UTF-8")
			.setMessageId(envelope.messageId())
			.setType(envelope.type())
			.setAppId(envelope.source())
			.setTimestamp(Date.from(envelope.occurredAt()))
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.setHeader(SCHEMA_VERSION, envelope.schemaVersion())
			.setHeaderIfAbsent(TRACEPARENT, envelope.traceparent())
			.build();
	}

	/**
	 * @throws MalformedMessageException if the body is not an envelope with every
	 * required field
	 */
	EventEnvelope fromMessage(Message message) {
		EventEnvelope envelope;
		try {
			envelope = this.json.readValue(message.getBody(), EventEnvelope.class);
		}
		catch (RuntimeException ex) {
			throw new MalformedMessageException("the body is not a JSON message envelope: " + ex.getMessage(), ex);
		}
		if (envelope.messageId() == null || envelope.type() == null || envelope.occurredAt() == null
				|| envelope.source() == null || envelope.payload() == null || !envelope.payload().isObject()) {
			throw new MalformedMessageException(
					"the envelope lacks one of messageId, type, occurredAt, source or an object payload", null);
		}
		return envelope;
	}

	/**
	 * @throws MalformedMessageException if the payload does not bind to the type
	 */
	<T> T payload(EventEnvelope envelope, Class<T> type) {
		try {
			return this.json.treeToValue(envelope.payload(), type);
		}
		catch (RuntimeException ex) {
			throw new MalformedMessageException("the payload of %s %s does not bind to %s: %s"
				.formatted(envelope.type(), envelope.messageId(), type.getSimpleName(), ex.getMessage()), ex);
		}
	}

	private @Nullable String currentTraceparent() {
		Tracer tracer = this.tracer.obtain().orElse(null);
		if (tracer == null || tracer.currentSpan() == null) {
			return null;
		}
		TraceContext context = tracer.currentSpan().context();
		return "00-%s-%s-%s".formatted(context.traceId(), context.spanId(),
				Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
	}

	/** A message that no retry can make processable: it is dead-lettered at once. */
	static final class MalformedMessageException extends RuntimeException {

		MalformedMessageException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
