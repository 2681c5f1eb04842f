package dev.stranglerkit.control;

/**
 * A route switch that was refused (an unknown route or mode, a canary without a percent,
 * a percent outside 0 to 100); nothing was written. The message says what is expected.
 */
public class RouteChangeException extends IllegalArgumentException {

	public RouteChangeException(String message) {
		super(message);
	}

}
