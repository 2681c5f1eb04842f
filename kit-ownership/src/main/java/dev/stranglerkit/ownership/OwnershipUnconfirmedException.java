package dev.stranglerkit.ownership;

import dev.stranglerkit.messaging.MessageNotReadyException;

/**
 * Thrown instead of answering who owns a module while the application runs on the
 * configuration it last received (the config server did not answer at its start,
 * {@link Ownership#confirmed}): a handoff may have been written since, so no decision by
 * ownership is made on it. A message waits and is handled again; an HTTP request gets a
 * 503 problem with {@code Retry-After} ({@link OwnershipProblems}).
 */
public class OwnershipUnconfirmedException extends MessageNotReadyException {

	public OwnershipUnconfirmedException(String module) {
		super("the ownership of the " + module + " is not confirmed: this application started from its last known "
				+ "configuration while the config server did not answer, and decides by ownership once it answers");
	}

}
