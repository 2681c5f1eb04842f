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
	 * @return the line of the key {@code name} among the direct keys of the block that
	 * starts at {@code parent} (the whole file for -1), or -1
	 */
	static int key(List<String> lines, int parent, String name) {
		int parentIndent = (parent < 0) ? -1 : indent(lines.get(parent));
		int keys = -1;
		for (int i = parent + 1; i < lines.size(); i++) {
			String line = lines.get(i);
			if (!content(line)) {
				continue;
			}
			int indent = indent(line);
			if (indent <= parentIndent) {
				return -1;
			}
			if (keys < 0) {
				keys = indent;
			}
			if (indent == keys && line.trim().startsWith(name + ":")) {
				return i;
			}
		}
		return -1;
	}

}
