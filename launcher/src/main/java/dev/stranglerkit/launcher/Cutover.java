package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./kit cutover <module> <service|monolith>}: moves a module's ownership and its
 * gateway route together, through config-repo. It appends a handoff
 * ({@code <instant>=<owner>}, a few seconds ahead so that the bus delivers it to both
 * sides before it applies) to {@code kit.ownership.<module>} in the monolith's and the
 * service's configuration, and switches the route to the new owner (mode and owner),
 * recorded in {@code config-repo/audit.log} like every switch. Rolling back is the same
 * move in the other direction.
 */
public final class Cutover {

	/** module -> the service that takes it over */
	static final Map<String, String> SERVICES = Map.of("notifications", "notification-service", "inventory",
			"inventory-service");

	/** how far ahead a handoff is set: more than the bus takes to deliver it */
	static final Duration LEAD = Duration.ofSeconds(5);

	private final Path configRepo;

	public Cutover(Path configRepo) {
		this.configRepo = configRepo;
	}

	/**
	 * @return the instant from which the new owner owns the module's events
	 */
	public Instant move(String module, String to) {
		String service = SERVICES.get(module);
		if (service == null) {
			throw new LaunchException("no extracted service for module '" + module + "' (modules: "
					+ String.join(", ", SERVICES.keySet()) + ")");
		}
		if (!to.equals("service") && !to.equals("monolith")) {
			throw new LaunchException("a cutover moves a module to 'service' or back to 'monolith', not '" + to + "'");
		}
		Instant handoff = Instant.now().plus(LEAD).truncatedTo(ChronoUnit.SECONDS);
		for (String application : List.of("monolith", service)) {
			appendHandoff(this.configRepo.resolve(application + ".yml"), module, handoff + "=" + to);
		}
		new Routes().switchRoute(this.configRepo, module, to, null, to);
		return handoff;
	}

	/**
	 * @return who owns the module after its last handoff in the monolith's configuration
	 * ({@code monolith} before the first one)
	 */
	public String owner(String module) {
		try {
			List<String> lines = Files.readAllLines(this.configRepo.resolve("monolith.yml"), StandardCharsets.UTF_8);
			String owner = "monolith";
			for (int i = 0; i < lines.size(); i++) {
				if (lines.get(i).trim().startsWith(module + ":")) {
					for (int j = i + 1; j < lines.size() && lines.get(j).trim().startsWith("- "); j++) {
						owner = lines.get(j).substring(lines.get(j).lastIndexOf('=') + 1).trim();
					}
					return owner;
				}
			}
			return owner;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Adds an entry to {@code kit.ownership.<module>}, keeping the file's comments. */
	static void appendHandoff(Path file, String module, String entry) {
		try {
			List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
			int at = -1;
			for (int i = 0; i < lines.size(); i++) {
				if (lines.get(i).trim().startsWith(module + ":")) {
					at = i;
					break;
				}
			}
			if (at < 0) {
				throw new LaunchException(file + " has no kit.ownership." + module + " list");
			}
			String line = lines.get(at);
			String indent = line.substring(0, line.length() - line.stripLeading().length());
			lines.set(at, indent + module + ":");
			int end = at + 1;
			while (end < lines.size() && lines.get(end).trim().startsWith("- ")) {
				end++;
			}
			lines.add(end, indent + "  - " + entry);
			Path written = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
			Files.write(written, lines, StandardCharsets.UTF_8);
			Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
