package dev.stranglerkit.messaging;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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

	static final Set<String> secondHandlerSaw = ConcurrentHashMap.newKeySet();

	@Bean
	MessageHandlers inbound(JdbcClient jdbc) {
		return MessageHandlers.create().on("kittest-in.ThingRequested", ThingRequested.class, (thing, envelope) -> {
			handlerCalls.incrementAndGet();
			if (thing.fail().equals("always")) {
				throw new IllegalStateException("Simulated handler failure");
			}
			if (thing.fail().equals("invalid")) {
				throw new InvalidMessageException("a thing cannot be requested twice");
			}
			if (thing.fail().startsWith("fail-before:")
					&& System.currentTimeMillis() < Long.parseLong(thing.fail().substring("fail-before:".length()))) {
				throw new IllegalStateException("Simulated transient failure until " + thing.fail());
			}
			if (thing.fail().startsWith("not-before:")
					&& System.currentTimeMillis() < Long.parseLong(thing.fail().substring("not-before:".length()))) {
				throw new MessageNotReadyException("waiting for the time in " + thing.fail());
			}
			jdbc.sql("INSERT INTO kit_test_effect (message_id, name) VALUES (?, ?)")
				.params(envelope.messageId(), thing.name())
				.update();
		});
	}

	/** A second module reacting to the same message type, in the same transaction. */
	@Bean
	MessageHandlers alsoInbound() {
		return MessageHandlers.create()
			.on("kittest-in.ThingRequested", ThingNamed.class,
					(thing, envelope) -> secondHandlerSaw.add(envelope.messageId()));
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

	@Externalized("kit-tests.events::kitlate.Thing")
	record LateThingHappened(UUID eventId, Instant occurredAt, String name) implements IntegrationEvent {

		LateThingHappened(String name) {
			this(UUID.randomUUID(), Instant.now(), name);
		}

	}

	/** Not subscribed by any queue: never leaves the process. */
	@Externalized("kit-tests.events::nobody.Listens")
	record IgnoredThingHappened(UUID eventId, Instant occurredAt) implements IntegrationEvent {

	}

	record ThingRequested(String name, String fail) {

	}

	/** The second handler's own view of the payload: only the name. */
	record ThingNamed(String name) {

	}

}
