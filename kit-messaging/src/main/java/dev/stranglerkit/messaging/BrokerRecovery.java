package dev.stranglerkit.messaging;

import java.time.Instant;

/**
 * What the outbox relay has seen of the broker lately: whether its sends are failing (the
 * broker unreachable, a confirm that never came, a nack), and when they last recovered,
 * that is when a message was confirmed again after such failures. A message returned as
 * unroutable says nothing about the broker and does not count.
 * <p>
 * The resubmission reads it: every publication that failed during an outage is due again
 * as soon as the broker is back, whatever its own back-off says, so a backlog drains at
 * once instead of as each publication's back-off runs out.
 */
final class BrokerRecovery {

	private volatile boolean failing;

	private volatile Instant recoveredAt = Instant.EPOCH;

	void confirmed() {
		if (this.failing) {
			this.failing = false;
			this.recoveredAt = Instant.now();
		}
	}

	void failed() {
		this.failing = true;
	}

	/**
	 * @return when sends last succeeded again after failing ({@link Instant#EPOCH} if
	 * never)
	 */
	Instant recoveredAt() {
		return this.recoveredAt;
	}

}
