package dev.stranglerkit.messaging;

import java.time.Instant;
import java.util.List;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Which process owns a module's behaviour (reacting to an event with an effect outside
 * its own data, such as sending a notification) for an event that happened at a given
 * time.
 * <p>
 * The handoffs are configuration, {@code kit.ownership.<module>}: a list of
 * {@code <instant>=<owner>} entries, oldest first, the monolith owning everything before
 * the first. {@code ./kit cutover} appends one a few seconds in the future, in the
 * monolith's and the service's configuration alike. Both processes follow the module's
 * events and ask the same question of the same event time, so each event has exactly one
 * owner: no gap and no double effect while the change travels over the bus, as long as it
 * arrives before its instant.
 */
public final class Ownership {

	public static final String MONOLITH = "monolith";

	public static final String SERVICE = "service";

	private Ownership() {
	}

	/**
	 * @return {@link #MONOLITH} or {@link #SERVICE}: the owner of the module for an event
	 * that happened at {@code when}
	 * @throws IllegalStateException if an entry is malformed
	 */
	public static String ownerAt(Environment environment, String module, Instant when) {
		List<String> handoffs = Binder.get(environment)
			.bind("kit.ownership." + module, Bindable.listOf(String.class))
			.orElse(List.of());
		String owner = MONOLITH;
		for (String handoff : handoffs) {
			int separator = handoff.lastIndexOf('=');
			if (separator < 0) {
				throw new IllegalStateException(
						"kit.ownership.%s: '%s' is not <instant>=<monolith|service>".formatted(module, handoff));
			}
			Instant from = Instant.parse(handoff.substring(0, separator).trim());
			String to = handoff.substring(separator + 1).trim();
			if (!to.equals(MONOLITH) && !to.equals(SERVICE)) {
				throw new IllegalStateException(
						"kit.ownership.%s: '%s' names no owner (monolith or service)".formatted(module, handoff));
			}
			if (!when.isBefore(from)) {
				owner = to;
			}
		}
		return owner;
	}

}
