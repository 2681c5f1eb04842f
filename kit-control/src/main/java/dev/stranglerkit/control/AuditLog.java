package dev.stranglerkit.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code config-repo/audit.log}: one line per route switch, appended, never rewritten:
 * <pre>
 * 2026-11-24T09:14:03.512Z alice console inventory canary 30
 * 2026-11-24T09:20:41.007Z bob cli inventory monolith -
 * </pre> the instant, the user (the console's logged-in user, the OS user for
 * {@code ./kit}), where the switch came from ({@code console} or {@code cli};
 * {@code cutover-undo} when {@code ./kit cutover} put a route back because a side did not
 * confirm the handoff), the route, its mode and its percent ({@code -} when the switch
 * left it as it was).
 */
public final class AuditLog {

	private final Path file;

	public AuditLog(Path file) {
		this.file = file;
	}

	public Path file() {
		return this.file;
	}

	/** One switch: who changed what, when, and from where. */
	public record Entry(Instant at, String user, String via, String route, Mode mode, Integer percent) {

		/**
		 * @return the entry as its line in the file
		 */
		public String line() {
			return String.join(" ", this.at.toString(), word(this.user), word(this.via), word(this.route),
					this.mode.value(), (this.percent != null) ? this.percent.toString() : "-");
		}

		/**
		 * @return the entry of a line, or null for a line that is not one
		 */
		static Entry parse(String line) {
			String[] fields = line.trim().split(" ");
			if (fields.length != 6 || Mode.of(fields[4]).isEmpty()) {
				return null;
			}
			try {
				return new Entry(Instant.parse(fields[0]), fields[1], fields[2], fields[3], Mode.of(fields[4]).get(),
						fields[5].equals("-") ? null : Integer.valueOf(fields[5]));
			}
			catch (DateTimeParseException | NumberFormatException ex) {
				return null;
			}
		}

		/** a field of the line: one word, never empty */
		private static String word(String value) {
			return (value == null || value.isBlank()) ? "-" : value.strip().replaceAll("\\s+", "_");
		}

	}

	/** Appends the entry as one line (a single write, so lines never interleave). */
	public void append(Entry entry) {
		try {
			Files.writeString(this.file, entry.line() + "\n", StandardCharsets.UTF_8,
					java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return the last entries, newest first (none when there is no log yet)
	 */
	public List<Entry> last(int count) {
		List<String> lines;
		try {
			lines = Files.readAllLines(this.file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Entry> entries = new ArrayList<>();
		for (int i = lines.size() - 1; i >= 0 && entries.size() < count; i--) {
			Entry entry = Entry.parse(lines.get(i));
			if (entry != null) {
				entries.add(entry);
			}
		}
		return entries;
	}

}
