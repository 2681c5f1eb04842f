package dev.stranglerkit.messaging;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The JSON form of every message on {@code shop.events}; its schema is
 * {@code contracts/events/envelope.schema.json}.
 *
 * @param messageId stays the same on every redelivery and resubmission; consumers apply
 * each message id once
 * @param type the routing key, {@code <module>.<EventName>}
 * @param schemaVersion the version of the payload's schema
 * @param occurredAt when the event happened (inside the transaction that published it)
 * @param source the {@code spring.application.name} of the publishing application
 * @param traceparent the W3C trace context of the work that published the event, if any
 * @param payload the event's own fields
 */
public record EventEnvelope(String messageId, String type, int schemaVersion, Instant occurredAt, String source,
		@Nullable String traceparent, JsonNode payload) {

}
