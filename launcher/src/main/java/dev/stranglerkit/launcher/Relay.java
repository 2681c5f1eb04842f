package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./kit up --relay outbox|cdc}: which relay takes every application's events from
 * its outbox to the broker, for the landscape until {@code ./kit down}. The applications
 * read it from {@value #ENV} (config-repo's {@code kit.messaging.relay}, which a file of
 * config-repo may set per application instead).
 */
final class Relay {

	static final String ENV = "KIT_MESSAGING_RELAY";

	static final List<String> RELAYS = List.of("outbox", "cdc");

	private Relay() {
	}

	/** Records the relay the landscape starts with. */
	static void start(Path state, String relay) {
		if (!RELAYS.contains(relay)) {
			throw new LaunchException("--relay is outbox or cdc, not '" + relay + "'");
		}
		try {
			Files.createDirectories(marker(state).getParent());
			Files.writeString(marker(state), relay + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return the relay the running landscape was started with, if one was named
	 */
	static Optional<String> running(Path state) {
		try {
			return Files.isRegularFile(marker(state)) ? Optional.of(Files.readString(marker(state)).strip())
					: Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The landscape is stopped: the next one starts with config-repo's relay. */
	static void stopped(Path state) {
		try {
			Files.deleteIfExists(marker(state));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path marker(Path state) {
		return state.resolve("run").resolve("relay");
	}

}
