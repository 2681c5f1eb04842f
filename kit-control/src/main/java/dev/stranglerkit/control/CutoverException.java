package dev.stranglerkit.control;

/**
 * A cutover that did not take place: refused before anything was written (the side that
 * takes over has no healthy instance), or undone before its instant (a side did not
 * confirm it in time). Either way the module keeps its owner; the message says why and
 * what to do.
 */
public class CutoverException extends RuntimeException {

	private final boolean undone;

	CutoverException(String message, boolean undone) {
		super(message);
		this.undone = undone;
	}

	/**
	 * @return whether the handoff had been written and was taken back (false: nothing was
	 * written)
	 */
	public boolean undone() {
		return this.undone;
	}

}
