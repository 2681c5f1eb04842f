package dev.stranglerkit.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * The landscape's desired state, a folder ({@code config-repo/}) that the config server
 * serves and watches. A route switch goes through here whoever makes it, {@code ./kit
 * route} or the migration console: the route changes in {@code gateway.yml} and the
 * switch is appended to {@code audit.log}.
 */
public final class ConfigRepo {

	private final Path folder;

	private final Clock clock;

	public ConfigRepo(Path folder) {
		this(folder, Clock.systemUTC());
	}

	ConfigRepo(Path folder, Clock clock) {
		this.folder = folder;
		this.clock = clock;
	}

	public Path folder() {
		return this.folder;
	}

	public RouteFile routes() {
		return new RouteFile(this.folder.resolve("gateway.yml"));
	}

	/** the style of new orders' sagas, in monolith.yml */
	public SagaStyleFile sagaStyle() {
		return new SagaStyleFile(this.folder.resolve("monolith.yml"));
	}

	/** the handoffs of every module, kept once for the landscape in application.yml */
	public Handoffs handoffs() {
		return new Handoffs(this.folder.resolve("application.yml"));
	}

	/**
	 * @return whether the landscape's team made mutual TLS its default
	 * ({@code kit.mtls.enabled: true} in application.yml; {@code ./kit up --mtls} turns
	 * it on for one run)
	 */
	public boolean mtls() {
		Path file = this.folder.resolve("application.yml");
		if (!Files.isRegularFile(file)) {
			return false;
		}
		try (var in = Files.newInputStream(file)) {
			Object value = new Yaml().<Map<String, Object>>load(in);
			for (String key : new String[] { "kit", "mtls", "enabled" }) {
				value = (value instanceof Map<?, ?> map) ? map.get(key) : null;
			}
			return Boolean.TRUE.equals(value) || "true".equals(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public AuditLog audit() {
		return new AuditLog(this.folder.resolve("audit.log"));
	}

	/**
	 * Switches the route and records who did it. One switch at a time in this process;
	 * the file itself is replaced atomically.
	 * @param percent the canary percent, or {@code null} to leave it as it is
	 * @param user who switched (the console's logged-in user, the OS user for the CLI)
	 * @param via where the switch came from: {@code console} or {@code cli} (or
	 * {@code cutover-undo}, a cutover's route put back)
	 * @return the audit log's new entry
	 * @throws RouteChangeException when the switch is refused: then nothing is written,
	 * neither the route nor the audit log
	 */
	public AuditLog.Entry switchRoute(String route, Mode mode, Integer percent, String user, String via) {
		return switchRoute(route, mode, percent, null, user, via);
	}

	/**
	 * Switches the route and who takes its writes (a cutover), and records who did it.
	 * @param owner who takes the route's writes, or {@code null} to leave it as it is
	 * @see #switchRoute(String, Mode, Integer, String, String)
	 */
	public synchronized AuditLog.Entry switchRoute(String route, Mode mode, Integer percent, Owner owner, String user,
			String via) {
		routes().change(route, mode, percent, owner);
		AuditLog.Entry entry = new AuditLog.Entry(Instant.now(this.clock), user, via, route, mode, percent);
		audit().append(entry);
		return entry;
	}

}
