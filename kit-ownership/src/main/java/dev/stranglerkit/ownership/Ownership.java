package dev.stranglerkit.ownership;

import java.time.Duration;
import java.time.Instant;

import dev.stranglerkit.control.Handoff;
import dev.stranglerkit.control.Owner;

import org.springframework.core.env.Environment;

/**
 * Which process owns a module's behaviour (reacting to an event with an effect outside
 * its own data, such as sending a notification) for an event that happened at a given
 * time.
 * <p>
 * The handoffs are configuration ({@link OwnershipProperties}),
 * {@code kit.ownership.<module>}: a list of {@code <instant>=<owner>} entries, oldest
 * first, the monolith owning everything before the first. {@code ./kit cutover} appends
 * one a few seconds in the future to the one list that the monolith and the service both
 * read, and a refresh rebinds it in each. Both processes follow the module's events and
 * ask the same question of the same event time, so each event has exactly one owner: no
 * gap and no double effect while the change travels over the bus, as long as it arrives
 * before its instant.
 * <p>
 * An application that runs on the configuration it last received (kit-config marks it:
 * {@value #CONFIG_SOURCE} is {@code last-known}) does not know whether a handoff was
 * written since, so it answers nothing ({@link OwnershipUnconfirmedException}) until the
 * config server's configuration replaces it.
 */
public final class Ownership {

	/**
	 * the property kit-config sets to {@code last-known} on a configuration started from
	 */
	static final String CONFIG_SOURCE = "kit.config.source";

	private final OwnershipProperties properties;

	private final Environment environment;

	Ownership(OwnershipProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
	}

	/**
	 * @return whether the handoffs are the config server's, not a last known copy that
	 * may lack the latest
	 */
	public boolean confirmed() {
		return !"last-known".equals(this.environment.getProperty(CONFIG_SOURCE));
	}

	/**
	 * @return how long after its handoff's instant a new owner first decides
	 * ({@code kit.ownership.settle})
	 */
	public Duration settle() {
		return this.properties.getSettle();
	}

	/**
	 * @return the owner of the module for an event that happened at {@code when}
	 * @throws IllegalStateException if an entry is malformed
	 * @throws OwnershipUnconfirmedException if the handoffs are not {@link #confirmed}
	 */
	public Owner ownerAt(String module, Instant when) {
		return handoffAt(module, when).owner();
	}

	/**
	 * @return the handoff in force for an event that happened at {@code when}: its owner,
	 * and the instant from which it owns the module ({@link Instant#EPOCH} for the
	 * monolith before any handoff)
	 * @throws IllegalStateException if an entry is malformed
	 * @throws OwnershipUnconfirmedException if the handoffs are not {@link #confirmed}
	 */
	public Handoff handoffAt(String module, Instant when) {
		if (!confirmed()) {
			throw new OwnershipUnconfirmedException(module);
		}
		Handoff current = new Handoff(Instant.EPOCH, Owner.MONOLITH);
		for (String entry : this.properties.handoffs(module)) {
			Handoff handoff;
			try {
				handoff = Handoff.parse(entry);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("kit.ownership." + module + ": " + ex.getMessage());
			}
			if (!when.isBefore(handoff.from())) {
				current = handoff;
			}
		}
		return current;
	}

}
