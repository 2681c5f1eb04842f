package dev.stranglerkit.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where this process's configuration came from: the config server, or the last known
 * configuration (the server did not answer at start). One per process, set while the
 * configuration loads, before any bean exists.
 *
 * @param lastKnown the file it came from, or null when it came from the server
 * @param receivedAt when that file was written
 * @param why why the server's was not taken
 */
record ConfigOrigin(Path lastKnown, Instant receivedAt, String why) {

	private static final AtomicReference<ConfigOrigin> current = new AtomicReference<>();

	/** whether the start's configuration is complete: a load from now on is a refresh */
	private static final AtomicBoolean loaded = new AtomicBoolean();

	static ConfigOrigin server() {
		return new ConfigOrigin(null, null, null);
	}

	static ConfigOrigin lastKnown(Path file, Instant receivedAt, String why) {
		return new ConfigOrigin(file, receivedAt, why);
	}

	boolean fromServer() {
		return this.lastKnown == null;
	}

	static ConfigOrigin current() {
		return current.get();
	}

	static void set(ConfigOrigin origin) {
		current.set(origin);
		if (origin == null) {
			loaded.set(false);
		}
	}

	/** The start's configuration is complete (every import loaded, beans being made). */
	static void loaded() {
		loaded.set(true);
	}

	/**
	 * @return whether the start's configuration is complete, so that a load now is a
	 * refresh
	 */
	static boolean isLoaded() {
		return loaded.get();
	}

}
