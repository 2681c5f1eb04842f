package dev.stranglerkit.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Tls;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./kit status}: each application's pid, port, health, whether Eureka has it, and
 * its memory (resident set).
 */
public final class Status {

	/** One application's row. */
	public record Row(String app, Long pid, int port, String health, String registered, Long rssKb) {
	}

	private final JsonMapper json = JsonMapper.builder().build();

	public List<Row> rows(Launcher launcher, Landscape landscape, URI eureka, String eurekaCredentials) {
		Set<String> registered = registered(eureka, eurekaCredentials);
		List<Row> rows = new ArrayList<>();
		Landscape.PORTS.forEach((name, port) -> {
			Optional<ProcessHandle> process = launcher.running(name);
			boolean built = landscape.apps().stream().anyMatch((app) -> app.name().equals(name));
			if (process.isEmpty() && !built) {
				return;
			}
			rows.add(row(name, name, port, process, registered));
			// its further instances (./kit scale), each on a port of its own
			for (String id : launcher.instances(name)) {
				rows.add(row(id, name, Launcher.instancePort(id), launcher.running(id), registered));
			}
		});
		return rows;
	}

	private Row row(String id, String name, int port, Optional<ProcessHandle> process, Set<String> registered) {
		String health = process.isEmpty() ? "-" : health(Tls.local(port).resolve("/actuator/health"));
		String inEureka = (name.equals(Landscape.CONFIG_SERVER) || name.equals(Landscape.DISCOVERY)) ? "-"
				: (registered == null) ? "?" : registered.contains(name + ":" + port) ? "yes" : "no";
		return new Row(id, process.map(ProcessHandle::pid).orElse(null), port, health, inEureka,
				process.map((handle) -> rssKb(handle.pid())).orElse(null));
	}

	public static String table(List<Row> rows) {
		StringBuilder table = new StringBuilder(
				"%-26s %-8s %-6s %-8s %-7s %s%n".formatted("APPLICATION", "PID", "PORT", "HEALTH", "EUREKA", "MEMORY"));
		long total = 0;
		for (Row row : rows) {
			table.append("%-26s %-8s %-6d %-8s %-7s %s%n".formatted(row.app(), (row.pid() != null) ? row.pid() : "-",
					row.port(), row.health(), row.registered(),
					(row.rssKb() != null) ? (row.rssKb() / 1024) + " MiB" : "-"));
			total += (row.rssKb() != null) ? row.rssKb() : 0;
		}
		table.append("total memory (resident): %d MiB%n".formatted(total / 1024));
		return table.toString();
	}

	/**
	 * @return the status a health endpoint answers ({@code UP}, {@code DOWN}, ...), else
	 * its HTTP status, else {@code no answer}
	 */
	String health(URI uri) {
		return Http.get(uri, null).map((response) -> {
			try {
				return this.json.readTree(response.body()).path("status").asString("HTTP " + response.statusCode());
			}
			catch (RuntimeException notJson) {
				return "HTTP " + response.statusCode();
			}
		}).orElse("no answer");
	}

	/**
	 * @return the instances Eureka has, as {@code <name>:<port>} (the name in lower
	 * case), or null when it does not answer
	 */
	Set<String> registered(URI eureka, String credentials) {
		return Http.get(eureka.resolve("/eureka/apps"), credentials)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> {
				Set<String> names = new HashSet<>();
				for (JsonNode application : this.json.readTree(response.body())
					.path("applications")
					.path("application")) {
					String name = application.path("name").asString("").toLowerCase();
					for (JsonNode instance : application.path("instance")) {
						names.add(name + ":" + instance.path("port").path("$").asInt());
					}
				}
				return names;
			})
			.orElse(null);
	}

	static Long rssKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not on Linux, or gone
		}
		return null;
	}

}
