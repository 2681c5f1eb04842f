package dev.stranglerkit.messaging;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.Externalized;

/**
 * A minimal application that uses the starter the way the shop's applications do: it
 * publishes an externalized event and handles inbound messages with an effect in
 * PostgreSQL.
 */
@SpringBootApplication
class MessagingTestApplication {

	static final AtomicInteger handlerCalls = new AtomicInteger();

	@Bean
	MessageHandlers inbound(JdbcClient jdbc) {
		return MessageHandlers.create().on("kittest-in.ThingRequested", ThingRequested.class, (thing, envelope) -> {
			handlerCalls.incrementAndGet();
			if (thing.fail().equals("always")) {
				throw new IllegalStateException("Simulated handler failure");
			}
			jdbc.sql("INSERT INTO kit_test_effect (message_id, name) VALUES (?, ?)")
				.params(envelope.messageId(), thing.name())
				.update();
		});
	}

	@Externalized("kit-tests.events::kittest.ThingHappened")
	record ThingHappened(UUID eventId, Instant occurredAt, String name) implements IntegrationEvent {

		ThingHappened(String name) {
			this(UUID.randomUUID(), Instant.now(), name);
		}

	}

	@Externalized("kit-tests.events::kitunbound.Thing")
	record UnboundThingHappened(UUID eventId, Instant occurredAt, String name) implements IntegrationEvent {

		UnboundThingHappened(String name) {
			this(UUID.randomUUID(), Instant.now(), name);
		}

	}

	/** Not subscribed by any queue: never leaves the process. */
	@Externalized("kit-tests.events::nobody.Listens")
	record IgnoredThingHappened(UUID eventId, Instant occurredAt) implements IntegrationEvent {

	}

	record ThingRequested(String name, String fail) {

	}

}
