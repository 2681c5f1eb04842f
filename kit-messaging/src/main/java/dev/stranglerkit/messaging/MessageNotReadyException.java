package dev.stranglerkit.messaging;

/**
 * Thrown by a handler for a message that cannot be applied yet because another message it
 * depends on has not arrived (an event relayed by another process, or a handoff still
 * settling). Nothing it did is kept; the consumer puts the message back on its queue
 * after a pause ({@code kit.messaging.consumer.deferral}) without counting it as a
 * failure, and dead-letters it only if it is still not ready after
 * {@code kit.messaging.consumer.not-ready-timeout}.
 */
public class MessageNotReadyException extends RuntimeException {

	public MessageNotReadyException(String message) {
		super(message);
	}

}
