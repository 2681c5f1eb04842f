package dev.stranglerkit.control;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who owns a module's behaviour, as a handoff names it ({@code <instant>=monolith} or
 * {@code =service}), and the gateway route mode that sends the module's requests there;
 * the gateway's route takes its writes there while it is in shadow or canary mode.
 */
public enum Owner {

	MONOLITH, SERVICE;

	/**
	 * @return the name in a handoff and in a route's {@code owner} (and in JSON)
	 */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @return the route mode that sends every request to this owner
	 */
	public Mode routeMode() {
		return (this == MONOLITH) ? Mode.MONOLITH : Mode.SERVICE;
	}

	/**
	 * @throws RouteChangeException for anything but {@code monolith} or {@code service}
	 */
	public static Owner of(String value) {
		for (Owner owner : values()) {
			if (owner.value().equals(value.trim())) {
				return owner;
			}
		}
		throw new RouteChangeException("'" + value + "' names no owner: monolith or service");
	}

	@Override
	public String toString() {
		return value();
	}

}
