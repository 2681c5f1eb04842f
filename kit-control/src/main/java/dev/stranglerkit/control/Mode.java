package dev.stranglerkit.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a strangler route sends its requests, as {@code gateway.yml} names it: one type
 * for the gateway that applies it and for kit-control that writes it.
 */
public enum Mode {

	/** all to the monolith */
	MONOLITH,
	/** served by the monolith; safe requests also go to the service, to compare */
	SHADOW,
	/** a sticky share of reads to the service, the rest (and writes) to the owner */
	CANARY,
	/** all to the service, falling back to the monolith while it still has the module */
	SERVICE;

	/**
	 * @return the name in {@code gateway.yml}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @return the mode of that name, or empty
	 */
	public static Optional<Mode> of(String value) {
		return Arrays.stream(values()).filter((mode) -> mode.value().equals(value)).findFirst();
	}

	@Override
	public String toString() {
		return value();
	}

}
