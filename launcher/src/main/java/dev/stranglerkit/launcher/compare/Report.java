package dev.stranglerkit.launcher.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./kit compare}'s report: the deployments side by side, as {@code compare.md} (to
 * read in a terminal or commit) and as {@code compare.html}, one self-contained page with
 * charts that opens offline. A failed invariant comes first in both: figures from a
 * deployment that broke orders must not be read as a win.
 */
public final class Report {

	/**
	 * Writes {@code compare.md} and {@code compare.html} into the directory (made if
	 * missing).
	 * @return whether every invariant of every deployment holds
	 */
	public boolean write(Comparison comparison, Path directory) {
		Tables tables = new Tables(comparison);
		try {
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("compare.md"), new MarkdownReport(comparison, tables).render(),
					StandardCharsets.UTF_8);
			Files.writeString(directory.resolve("compare.html"), new HtmlReport(comparison, tables).render(),
					StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return tables.failures().isEmpty();
	}

}
