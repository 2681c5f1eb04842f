package dev.stranglerkit.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * An event that leaves its process. It carries what its message needs to stay the same on
 * every redelivery and resubmission: an id, which becomes the message id that consumers
 * de-duplicate on, and the moment it happened. Both are fixed when the event is created,
 * so they are stored with it in the event publication registry and survive a restart.
 * <p>
 * Implemented by records annotated with
 * {@link org.springframework.modulith.events.Externalized @Externalized}
 * ({@code "shop.events::<module>.<EventName>"}); the routing key is also the message's
 * {@code type}.
 */
public interface IntegrationEvent {

	UUID eventId();

	Instant occurredAt();

	/**
	 * @return the version of the event's JSON schema under {@code contracts/events/};
	 * raise it with an incompatible change of the payload
	 */
	default int schemaVersion() {
		return 1;
	}

}
