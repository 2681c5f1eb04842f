package dev.stranglerkit.control;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

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
	 * @return the name in {@code gateway.yml} (and in JSON)
	 */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @return the mode of that name, or empty
	 */
	public static Optional<Mode> of(String value) {
		return Arrays.stream(values()).filter((mode) -> mode.value().equals(value)).findFirst();
	}

	/**
	 * @return the mode a user named ({@code ./kit route}, the console)
	 * @throws RouteChangeException naming the modes, for any other name
	 */
	public static Mode parse(String value) {
		return of(value).orElseThrow(() -> new RouteChangeException(
				"unknown mode '" + value + "': one of monolith, shadow, canary, service"));
	}

	@Override
	public String toString() {
		return value();
	}

}
