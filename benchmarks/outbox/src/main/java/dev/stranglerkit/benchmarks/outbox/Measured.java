package dev.stranglerkit.benchmarks.outbox;

import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;

import org.springframework.modulith.events.Externalized;

/**
 * The benchmark's event. In the fixed-rate phase {@code occurredAt} is the moment the
 * event was due, not the moment a worker got to it, so a producer that falls behind shows
 * up as latency (no coordinated omission).
 */
@Externalized("bench.events::bench.Measured")
record Measured(UUID eventId, Instant occurredAt, String phase, long sequence) implements IntegrationEvent {

	Measured(Instant due, String phase, long sequence) {
		this(UUID.randomUUID(), due, phase, sequence);
	}

}
