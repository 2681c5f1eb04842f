package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./kit route}: changes a strangler route's mode (and canary percent) in
 * {@code config-repo/gateway.yml}, the single source of truth, keeping the file's
 * comments and layout. The config server sees the change and the bus carries it to every
 * gateway; {@link #awaitApplied} waits until a gateway reports it.
 */
public final class Routes {

	static final Set<String> MODES = Set.of("monolith", "shadow", "canary", "service");

	private static final Pattern KEY = Pattern.compile("^(\\s*)([\\w-]+):(.*)$");

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Writes the route's new mode and percent to the file (atomically: the config server
	 * never reads half a file).
	 * @param percent the canary percent, or {@code null} to leave it as it is
	 */
	public void change(Path gatewayYml, String route, String mode, Integer percent) {
		change(gatewayYml, route, mode, percent, null);
	}

	/**
	 * @param owner who takes the route's writes ({@code monolith} or {@code service}), or
	 * {@code null} to leave it as it is
	 */
	public void change(Path gatewayYml, String route, String mode, Integer percent, String owner) {
		if (!MODES.contains(mode)) {
			throw new LaunchException("unknown mode '" + mode + "': one of monolith, shadow, canary, service");
		}
		if (percent != null && (percent < 0 || percent > 100)) {
			throw new LaunchException("the canary percent is between 0 and 100, not " + percent);
		}
		if (mode.equals("canary") && percent == null) {
			throw new LaunchException("canary needs a percent: ./kit route " + route + " canary 30");
		}
		try {
			List<String> lines = new ArrayList<>(Files.readAllLines(gatewayYml, StandardCharsets.UTF_8));
			int[] block = routeBlock(lines, route);
			set(lines, block, "mode", mode);
			if (percent != null) {
				set(lines, routeBlock(lines, route), "canary-percent", percent.toString());
			}
			if (owner != null) {
				set(lines, routeBlock(lines, route), "owner", owner);
			}
			Path written = Files.createTempFile(gatewayYml.getParent(), ".gateway", ".yml");
			Files.write(written, lines, StandardCharsets.UTF_8);
			Files.move(written, gatewayYml, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return [first line, end (exclusive), indentation of its keys] of the route's block
	 */
	private static int[] routeBlock(List<String> lines, String route) {
		int routesIndent = -1;
		int routeIndent = -1;
		List<String> names = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher key = KEY.matcher(lines.get(i));
			if (!key.matches() || lines.get(i).trim().startsWith("#")) {
				continue;
			}
			int indent = key.group(1).length();
			if (routesIndent < 0) {
				if (key.group(2).equals("routes")) {
					routesIndent = indent;
				}
				continue;
			}
			if (indent <= routesIndent) {
				break;
			}
			if (routeIndent < 0) {
				routeIndent = indent;
			}
			if (indent != routeIndent) {
				continue;
			}
			names.add(key.group(2));
			if (key.group(2).equals(route)) {
				int end = i + 1;
				int keys = -1;
				while (end < lines.size()) {
					String line = lines.get(end);
					int lineIndent = line.length() - line.stripLeading().length();
					if (!line.isBlank() && !line.trim().startsWith("#") && lineIndent <= indent) {
						break;
					}
					if (keys < 0 && !line.isBlank() && !line.trim().startsWith("#")) {
						keys = lineIndent;
					}
					end++;
				}
				return new int[] { i + 1, end, (keys < 0) ? indent + 2 : keys };
			}
		}
		throw new LaunchException(
				"no route '" + route + "' in config-repo/gateway.yml (routes: " + String.join(", ", names) + ")");
	}

	private static void set(List<String> lines, int[] block, String name, String value) {
		String indent = " ".repeat(block[2]);
		for (int i = block[0]; i < block[1]; i++) {
			Matcher key = KEY.matcher(lines.get(i));
			if (key.matches() && key.group(1).length() == block[2] && key.group(2).equals(name)) {
				String comment = key.group(3).contains(" #") ? key.group(3).substring(key.group(3).indexOf(" #")) : "";
				lines.set(i, indent + name + ": " + value + comment);
				return;
			}
		}
		int at = block[0];
		while (at < block[1] && !lines.get(at).isBlank()) {
			at++;
		}
		lines.add(at, indent + name + ": " + value);
	}

	/**
	 * Waits until the gateway's {@code /actuator/strangler} reports the route's mode and
	 * percent.
	 * @return how long it took
	 */
	public Duration awaitApplied(URI gateway, String credentials, String route, String mode, Integer percent,
			Duration timeout) {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode state = current(gateway, credentials, route);
			if (state != null && state.path("mode").asString("").equalsIgnoreCase(mode)
					&& (percent == null || state.path("canaryPercent").asInt(-1) == percent)) {
				return Duration.ofNanos(System.nanoTime() - start);
			}
			Launcher.sleep(Duration.ofMillis(50));
		}
		throw new LaunchException("the gateway at " + gateway + " did not apply " + route + " -> " + mode + " within "
				+ timeout.toSeconds() + " s: is the config server running, and RabbitMQ (the bus)? "
				+ "See ./kit logs config-server and ./kit logs gateway");
	}

	/**
	 * @return the route as the gateway has it, or null when the gateway does not answer
	 */
	public JsonNode current(URI gateway, String credentials, String route) {
		return Http.get(gateway.resolve("/actuator/strangler"), credentials)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> this.json.readTree(response.body()).path("routes").path(route))
			.orElse(null);
	}

}
