package dev.stranglerkit.control;

import java.nio.file.Path;
import java.util.List;

/**
 * The strangler routes of {@code config-repo/gateway.yml}
 * ({@code strangler.routes.<name>}), read and changed line by line so that the file keeps
 * its comments and layout: a switch changes the lines of {@code mode},
 * {@code canary-percent} and {@code owner} of one route and nothing else. The config
 * server sees the change and the bus carries it to every gateway.
 */
public final class RouteFile {

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
	 * @throws RouteChangeException when the file has no such route, or no mode for it
	 */
	public Mode mode(String route) {
		List<String> lines = read();
		String mode = value(lines, block(lines, route), "mode");
		if (mode == null) {
			throw new RouteChangeException("route '" + route + "' in " + this.file + " has no mode");
		}
		return Mode.parse(mode);
	}

	/**
	 * Refuses a switch that {@link #change} would refuse, without writing anything.
	 * @throws RouteChangeException with what is expected
	 */
	public void check(String route, Mode mode, Integer percent) {
		if (mode == null) {
			throw new RouteChangeException("a switch names a mode: one of monolith, shadow, canary, service");
		}
		if (percent != null && (percent < 0 || percent > 100)) {
			throw new RouteChangeException("the canary percent is between 0 and 100, not " + percent);
		}
		if (mode == Mode.CANARY && percent == null) {
			throw new RouteChangeException("canary needs a percent, as in: ./kit route " + route + " canary 30");
		}
		block(read(), route);
	}

	/**
	 * Writes the route's new mode and percent to the file, atomically (the config server
	 * never reads half a file).
	 * @param percent the canary percent, or {@code null} to leave it as it is
	 * @param owner who takes the route's writes, or {@code null} to leave it as it is
	 * @throws RouteChangeException when the switch is refused; the file is left as it was
	 */
	public void change(String route, Mode mode, Integer percent, Owner owner) {
		check(route, mode, percent);
		List<String> lines = read();
		set(lines, block(lines, route), "mode", mode.value());
		if (percent != null) {
			set(lines, block(lines, route), "canary-percent", percent.toString());
		}
		if (owner != null) {
			set(lines, block(lines, route), "owner", owner.value());
		}
		YamlLines.write(this.file, lines);
	}

	private List<String> read() {
		return YamlLines.read(this.file);
	}

	/** A route's lines: the line of its name, and the end of its block (exclusive). */
	private record Block(String name, int line, int end) {
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
	 * @return the blocks under {@code strangler.routes}, one per route
	 */
	private static List<Block> blocks(List<String> lines) {
		int strangler = YamlLines.key(lines, -1, "strangler");
		int routes = (strangler < 0) ? -1 : YamlLines.key(lines, strangler, "routes");
		if (routes < 0) {
			return List.of();
		}
		return YamlLines.keys(lines, routes)
			.stream()
			.map((line) -> new Block(YamlLines.name(lines.get(line)), line, YamlLines.end(lines, line)))
			.toList();
	}

	private static Route route(List<String> lines, Block block) {
		String percent = value(lines, block, "canary-percent");
		String owner = value(lines, block, "owner");
		return new Route(block.name(), Mode.parse(value(lines, block, "mode")),
				(percent != null) ? Integer.valueOf(percent) : null, (owner != null) ? Owner.of(owner) : null);
	}

	/**
	 * @return the key's value in the route's block, without a trailing comment, or null
	 */
	private static String value(List<String> lines, Block block, String name) {
		int key = YamlLines.key(lines, block.line(), name);
		return (key < 0) ? null : YamlLines.value(lines.get(key));
	}

	private static void set(List<String> lines, Block block, String name, String value) {
		int key = YamlLines.key(lines, block.line(), name);
		if (key >= 0) {
			lines.set(key, YamlLines.withValue(lines.get(key), value));
			return;
		}
		List<Integer> keys = YamlLines.keys(lines, block.line());
		String indent = " ".repeat(keys.isEmpty() ? YamlLines.indent(lines.get(block.line())) + 2
				: YamlLines.indent(lines.get(keys.get(0))));
		int at = block.line() + 1;
		while (at < block.end() && !lines.get(at).isBlank()) {
			at++;
		}
		lines.add(at, indent + name + ": " + value);
	}

}
