package dev.stranglerkit.control;

import java.time.Instant;

/**
 * A module's owner from an instant on: one entry of {@code kit.ownership.<module>},
 * written {@code <instant>=<monolith|service>}. The control plane writes it
 * ({@link Cutover}) and the applications decide by it (kit-ownership), both through this
 * one form.
 *
 * @param from when the owner takes the module over
 * @param owner the monolith or the service
 */
public record Handoff(Instant from, Owner owner) {

	/**
	 * @return the entry as {@code <instant>=<owner>} says it
	 * @throws RouteChangeException when it has no {@code =} or names no owner
	 * @throws java.time.format.DateTimeParseException when its instant is not one
	 */
	public static Handoff parse(String entry) {
		int separator = entry.lastIndexOf('=');
		if (separator < 0) {
			throw new RouteChangeException("'%s' is not <instant>=<monolith|service>".formatted(entry));
		}
		Owner owner;
		try {
			owner = Owner.of(entry.substring(separator + 1));
		}
		catch (RouteChangeException ex) {
			throw new RouteChangeException("'%s' names no owner (monolith or service)".formatted(entry));
		}
		return new Handoff(Instant.parse(entry.substring(0, separator).trim()), owner);
	}

	/**
	 * @return whether it is the given side's
	 */
	public boolean is(Owner side) {
		return this.owner == side;
	}

	/**
	 * @return the entry as {@code kit.ownership.<module>} lists it
	 */
	@Override
	public String toString() {
		return this.from + "=" + this.owner.value();
	}

}
