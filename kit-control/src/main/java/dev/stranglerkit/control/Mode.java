package dev.stranglerkit.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a strangler route sends its requests, as {@code gateway.yml} names it: every
 * request to the monolith, to the monolith with a copy of each read to the service
 * (shadow), a percentage of them to the service (canary), or every request to the
 * service.
 */
public enum Mode {

	MONOLITH, SHADOW, CANARY, SERVICE;

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
