package dev.stranglerkit.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The strangler routes of {@code config-repo/gateway.yml}
 * ({@code strangler.routes.<name>}), read and changed line by line so that the file keeps
 * its comments and layout: a switch changes the lines of {@code mode},
 * {@code canary-percent} and {@code owner} of one route and nothing else. The config
 * server sees the change and the bus carries it to every gateway.
 */
public final class RouteFile {

	private static final Pattern KEY = Pattern.compile("^(\\s*)([\\w-]+):(.*)$");

	private final Path file;

	public RouteFile(Path gatewayYml) {
		this.file = gatewayYml;
	}

	public Path file() {
		return this.file;
	}

	/**
	 * @return every strangler route, in the file's order
	 */
	public List<Route> routes() {
		List<String> lines = read();
		return blocks(lines).stream().map((block) -> route(lines, block)).toList();
	}

	/**
	 * @return the route's mode as the file has it
	 * @throws RouteChangeException when the file has no such route
	 */
	public String mode(String route) {
		List<String> lines = read();
		String mode = value(lines, block(lines, route), "mode");
		if (mode == null) {
			throw new RouteChangeException("route '" + route + "' in " + this.file + " has no mode");
		}
		return mode;
	}

	/**
	 * Refuses a switch that {@link #change} would refuse, without writing anything.
	 * @throws RouteChangeException with what is expected
	 */
	public void check(String route, String mode, Integer percent) {
		if (mode == null || Mode.of(mode).isEmpty()) {
			throw new RouteChangeException("unknown mode '" + mode + "': one of monolith, shadow, canary, service");
		}
		if (percent != null && (percent < 0 || percent > 100)) {
			throw new RouteChangeException("the canary percent is between 0 and 100, not " + percent);
		}
		if (Mode.of(mode).get() == Mode.CANARY && percent == null) {
			throw new RouteChangeException("canary needs a percent, as in: ./kit route " + route + " canary 30");
		}
		block(read(), route);
	}

	/**
	 * Writes the route's new mode and percent to the file, atomically (the config server
	 * never reads half a file).
	 * @param percent the canary percent, or {@code null} to leave it as it is
	 * @param owner who takes the route's writes ({@code monolith} or {@code service}), or
	 * {@code null} to leave it as it is
	 * @throws RouteChangeException when the switch is refused; the file is left as it was
	 */
	public void change(String route, String mode, Integer percent, String owner) {
		check(route, mode, percent);
		List<String> lines = read();
		set(lines, block(lines, route), "mode", mode);
		if (percent != null) {
			set(lines, block(lines, route), "canary-percent", percent.toString());
		}
		if (owner != null) {
			set(lines, block(lines, route), "owner", owner);
		}
		YamlLines.write(this.file, lines);
	}

	private List<String> read() {
		return YamlLines.read(this.file);
	}

	/**
	 * A route's lines: its name's line, the end (exclusive), the indentation of its keys.
	 */
	private record Block(String name, int start, int end, int keys) {
	}

	private Block block(List<String> lines, String route) {
		List<Block> blocks = blocks(lines);
		return blocks.stream()
			.filter((block) -> block.name().equals(route))
			.findFirst()
			.orElseThrow(() -> new RouteChangeException("no route '" + route + "' in config-repo/gateway.yml (routes: "
					+ String.join(", ", blocks.stream().map(Block::name).toList()) + ")"));
	}

	/**
	 * @return the blocks under {@code strangler.routes}: the keys one level below
	 * {@code routes:}, each up to the next line indented as far or less
	 */
	private static List<Block> blocks(List<String> lines) {
		List<Block> blocks = new ArrayList<>();
		int routesIndent = -1;
		int routeIndent = -1;
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
			int end = i + 1;
			int keys = -1;
			while (end < lines.size()) {
				String line = lines.get(end);
				int lineIndent = line.length() - line.stripLeading().length();
				boolean content = !line.isBlank() && !line.trim().startsWith("#");
				if (content && lineIndent <= indent) {
					break;
				}
				if (keys < 0 && content) {
					keys = lineIndent;
				}
				end++;
			}
			blocks.add(new Block(key.group(2), i + 1, end, (keys < 0) ? indent + 2 : keys));
		}
		return blocks;
	}

	private static Route route(List<String> lines, Block block) {
		String percent = value(lines, block, "canary-percent");
		return new Route(block.name(), value(lines, block, "mode"), (percent != null) ? Integer.valueOf(percent) : null,
				value(lines, block, "owner"));
	}

	/**
	 * @return the key's value in the route's block, without a trailing comment, or null
	 */
	private static String value(List<String> lines, Block block, String name) {
		for (int i = block.start(); i < block.end(); i++) {
			Matcher key = KEY.matcher(lines.get(i));
			if (key.matches() && key.group(1).length() == block.keys() && key.group(2).equals(name)) {
				return key.group(3).replaceAll("\\s+#.*", "").trim();
			}
		}
		return null;
	}

	private static void set(List<String> lines, Block block, String name, String value) {
		String indent = " ".repeat(block.keys());
		for (int i = block.start(); i < block.end(); i++) {
			Matcher key = KEY.matcher(lines.get(i));
			if (key.matches() && key.group(1).length() == block.keys() && key.group(2).equals(name)) {
				String comment = key.group(3).contains(" #") ? key.group(3).substring(key.group(3).indexOf(" #")) : "";
				lines.set(i, indent + name + ": " + value + comment);
				return;
			}
		}
		int at = block.start();
		while (at < block.end() && !lines.get(at).isBlank()) {
			at++;
		}
		lines.add(at, indent + name + ": " + value);
	}

}
