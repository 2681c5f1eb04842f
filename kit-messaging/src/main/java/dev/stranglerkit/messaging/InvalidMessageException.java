package dev.stranglerkit.messaging;

/**
 * Thrown by a handler for a message that can never be applied, however often it is tried:
 * its content breaks a rule of the handler's own (an order with no lines, a quantity
 * below one). Nothing it did is kept, and the consumer dead-letters the message at once
 * instead of retrying it. Any other exception counts as transient (a database or broker
 * outage, a deadlock): its message is retried for
 * {@code kit.messaging.consumer.retry-timeout} before it is dead-lettered.
 */
public class InvalidMessageException extends RuntimeException {

	public InvalidMessageException(String message) {
		super(message);
	}

}
