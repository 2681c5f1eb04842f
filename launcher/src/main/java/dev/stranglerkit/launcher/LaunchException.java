package dev.stranglerkit.launcher;

/** A start or a switch that did not work; the message says what to do. */
public class LaunchException extends RuntimeException {

	public LaunchException(String message) {
		super(message);
	}

}
