package dev.stranglerkit.control;

import java.nio.file.Path;
import java.util.List;

/**
 * The style of new orders' sagas, {@code shop.saga.style} in
 * {@code config-repo/monolith.yml}: {@code choreography} or {@code orchestration}. Read
 * and changed as the file's lines, like the routes (its comments kept, written
 * atomically).
 */
public final class SagaStyleFile {

	/** the styles the monolith knows */
	public static final List<String> STYLES = List.of("choreography", "orchestration");

	private final Path file;

	public SagaStyleFile(Path monolithYml) {
		this.file = monolithYml;
	}

	public Path file() {
		return this.file;
	}

	/**
	 * @return the style as the file has it ({@code choreography} when it says none, the
	 * monolith's default)
	 */
	public String style() {
		List<String> lines = YamlLines.read(this.file);
		int style = styleKey(lines);
		return (style < 0) ? "choreography" : YamlLines.value(lines.get(style));
	}

	/**
	 * Writes the style, atomically.
	 * @throws IllegalArgumentException for a style the monolith does not know; the file
	 * is left as it was
	 */
	public void change(String style) {
		if (!STYLES.contains(style)) {
			throw new IllegalArgumentException("no saga style '" + style + "': one of " + String.join(", ", STYLES));
		}
		List<String> lines = YamlLines.read(this.file);
		int shop = YamlLines.key(lines, -1, "shop");
		int saga = (shop < 0) ? -1 : YamlLines.key(lines, shop, "saga");
		int key = (saga < 0) ? -1 : YamlLines.key(lines, saga, "style");
		if (key >= 0) {
			lines.set(key, YamlLines.withValue(lines.get(key), style));
		}
		else if (saga >= 0) {
			lines.add(saga + 1, " ".repeat(YamlLines.indent(lines.get(saga)) + 2) + "style: " + style);
		}
		else if (shop >= 0) {
			lines.add(shop + 1, "  saga:");
			lines.add(shop + 2, "    style: " + style);
		}
		else {
			lines.addAll(List.of("", "shop:", "  saga:", "    style: " + style));
		}
		YamlLines.write(this.file, lines);
	}

	private static int styleKey(List<String> lines) {
		int shop = YamlLines.key(lines, -1, "shop");
		int saga = (shop < 0) ? -1 : YamlLines.key(lines, shop, "saga");
		return (saga < 0) ? -1 : YamlLines.key(lines, saga, "style");
	}

}
