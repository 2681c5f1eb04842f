package dev.stranglerkit.launcher;

import java.util.function.Supplier;

import dev.stranglerkit.control.CutoverException;
import dev.stranglerkit.control.RouteChangeException;

/** A start or a switch that did not work; the message says what to do. */
public class LaunchException extends RuntimeException {

	public LaunchException(String message) {
		super(message);
	}

	/**
	 * Runs a change of the control plane (kit-control), its refusal (a bad route, mode or
	 * module) or a cutover that did not take place failing as a launch does: with
	 * kit-control's message.
	 * @return what the change returns
	 */
	static <T> T fromControlPlane(Supplier<T> change) {
		try {
			return change.get();
		}
		catch (RouteChangeException | CutoverException ex) {
			throw new LaunchException(ex.getMessage());
		}
	}

}
