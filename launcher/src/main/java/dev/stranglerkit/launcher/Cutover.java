package dev.stranglerkit.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Credential;
import dev.stranglerkit.control.Instances;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.control.Tls;

/**
 * {@code ./kit cutover <module> <service|monolith>} on the local landscape: kit-control's
 * {@link dev.stranglerkit.control.Cutover} (the one implementation, which the console
 * uses too) against this machine's Eureka ({@code KIT_EUREKA_USER} and
 * {@code KIT_EUREKA_PASSWORD}) and the applications' usual ports, recorded in the audit
 * log under the OS user, {@code via cli}; a refusal or an undo fails as a
 * {@link LaunchException} with kit-control's message
 * ({@link LaunchException#fromControlPlane}).
 */
public final class Cutover {

	private final dev.stranglerkit.control.Cutover cutover;

	/** A cutover in the local landscape, reporting on standard output. */
	public Cutover(Path configRepo) {
		this(configRepo, System.out::println);
	}

	/**
	 * @param out where the progress goes, a line at a time
	 */
	public Cutover(Path configRepo, Consumer<String> out) {
		this.cutover = new dev.stranglerkit.control.Cutover(new ConfigRepo(configRepo), localInstances(),
				System.getProperty("user.name"), "cli", out);
	}

	/** the local landscape's Eureka and every application on its usual port */
	static Instances localInstances() {
		return new Instances(Tls.local(Landscape.PORTS.get(Landscape.DISCOVERY)), Credential.EUREKA.current(),
				Credential.ADMIN.current(),
				Landscape.PORTS.entrySet()
					.stream()
					.collect(Collectors.toMap(Map.Entry::getKey, (port) -> Tls.local(port.getValue()))));
	}

	/**
	 * Moves the module and its route, confirmed by both sides.
	 * @param to the new owner as the user named it ({@code service} or {@code monolith})
	 * @return the instant from which the new owner owns the module's events
	 * @throws LaunchException when the move was refused (nothing written) or undone
	 */
	public Instant move(String module, String to) {
		return move(module, LaunchException.fromControlPlane(() -> dev.stranglerkit.control.Cutover.target(to)));
	}

	/**
	 * @see #move(String, String)
	 */
	public Instant move(String module, Owner to) {
		return LaunchException.fromControlPlane(() -> this.cutover.move(module, to));
	}

	/**
	 * Writes the handoff and switches the route without asking anyone, for a landscape
	 * that does not run: each application reads the move when it starts.
	 * @return the handoff's instant
	 */
	public Instant write(String module, Owner to) {
		return LaunchException.fromControlPlane(() -> this.cutover.write(module, to));
	}

	/**
	 * @return who owns the module after its last handoff ({@code monolith} before the
	 * first one)
	 */
	public Owner owner(String module) {
		return LaunchException.fromControlPlane(() -> this.cutover.owner(module));
	}

}
