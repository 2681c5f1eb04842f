package dev.stranglerkit.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the control plane reads and changes a file of {@code config-repo/}: as its
 * lines, so that a change touches the lines it means and the file keeps its comments and
 * layout (a YAML library would rewrite the whole file), and written atomically, so that
 * the config server, which watches the folder, never reads half a file.
 */
final class YamlLines {

	private YamlLines() {
	}

	static List<String> read(Path file) {
		try {
			return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Replaces the file with the lines, atomically. */
	static void write(Path file, List<String> lines) {
		try {
			// a dot file: the config server's folder monitor ignores it
			Path written = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
			Files.write(written, lines, StandardCharsets.UTF_8);
			Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return how far the line is indented
	 */
	static int indent(String line) {
		return line.length() - line.stripLeading().length();
	}

	/**
	 * @return whether the line says something (not blank, not a comment)
	 */
	static boolean content(String line) {
		return !line.isBlank() && !line.trim().startsWith("#");
	}

	/**
	 * @return the lines of the direct keys of the block that starts at {@code parent}
	 * (the whole file for -1), in the file's order
	 */
	static List<Integer> keys(List<String> lines, int parent) {
		int parentIndent = (parent < 0) ? -1 : indent(lines.get(parent));
		List<Integer> keys = new ArrayList<>();
		int keyIndent = -1;
		for (int i = parent + 1; i < lines.size(); i++) {
			String line = lines.get(i);
			if (!content(line)) {
				continue;
			}
			int indent = indent(line);
			if (indent <= parentIndent) {
				break;
			}
			if (keyIndent < 0) {
				keyIndent = indent;
			}
			if (indent == keyIndent && line.contains(":")) {
				keys.add(i);
			}
		}
		return keys;
	}

	/**
	 * @return the line of the key {@code name} among the direct keys of the block that
	 * starts at {@code parent} (the whole file for -1), or -1
	 */
	static int key(List<String> lines, int parent, String name) {
		return keys(lines, parent).stream().filter((key) -> name(lines.get(key)).equals(name)).findFirst().orElse(-1);
	}

	/**
	 * @return the line after the block of the key on line {@code key}: the next line that
	 * says something and is indented as far or less (or the end of the file)
	 */
	static int end(List<String> lines, int key) {
		int indent = indent(lines.get(key));
		int end = key + 1;
		while (end < lines.size() && !(content(lines.get(end)) && indent(lines.get(end)) <= indent)) {
			end++;
		}
		return end;
	}

	/**
	 * @return the key a line names ({@code mode} of {@code "  mode: canary # x"})
	 */
	static String name(String line) {
		String key = line.trim();
		return key.substring(0, Math.max(0, key.indexOf(':'))).trim();
	}

	/**
	 * @return the value on a key's line, without a comment after it ({@code canary} of
	 * {@code "  mode: canary # x"})
	 */
	static String value(String line) {
		return line.substring(line.indexOf(':') + 1).replaceAll("\\s+#.*", "").trim();
	}

	/**
	 * @return the key's line with another value, its indentation and comment kept
	 */
	static String withValue(String line, String value) {
		String rest = line.substring(line.indexOf(':') + 1);
		String comment = rest.contains(" #") ? rest.substring(rest.indexOf(" #")) : "";
		return line.substring(0, line.indexOf(':') + 1) + " " + value + comment;
	}

}
