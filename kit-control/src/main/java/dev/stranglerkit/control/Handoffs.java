package dev.stranglerkit.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who owns each extracted module's behaviour over time: the lists
 * {@code kit.ownership.<module>} of {@code <instant>=<monolith|service>} handoffs, oldest
 * first, kept once for the whole landscape in {@code config-repo/application.yml}, which
 * the monolith and every service read alike. {@code ./kit cutover} and the presets append
 * a handoff (and take it out again when a side does not confirm it); each application
 * applies the list it is given (kit-messaging's {@code Ownership}).
 */
public final class Handoffs {

	private final Path file;

	public Handoffs(Path applicationYml) {
		this.file = applicationYml;
	}

	/**
	 * @return the module's handoffs, oldest first
	 * @throws RouteChangeException when the file has no list for the module
	 */
	public List<String> of(String module) {
		List<String> lines = YamlLines.read(this.file);
		int at = list(lines, module);
		List<String> handoffs = new ArrayList<>();
		for (int i = at + 1; i < end(lines, at); i++) {
			handoffs.add(lines.get(i).trim().substring(2).trim());
		}
		return handoffs;
	}

	/**
	 * @return who owns the module after its last handoff ({@link Owner#MONOLITH} before
	 * the first)
	 */
	public Owner owner(String module) {
		List<String> handoffs = of(module);
		return handoffs.isEmpty() ? Owner.MONOLITH : Handoff.parse(handoffs.getLast()).owner();
	}

	/** Appends an entry to the module's list, keeping the file's comments. */
	public void append(String module, String entry) {
		List<String> lines = YamlLines.read(this.file);
		int at = list(lines, module);
		String line = lines.get(at);
		String indent = " ".repeat(YamlLines.indent(line));
		lines.set(at, indent + module + ":");
		lines.add(end(lines, at), indent + "  - " + entry);
		YamlLines.write(this.file, lines);
	}

	/**
	 * Takes an entry out of the module's list again, keeping the file's comments and the
	 * other entries; an emptied list is written {@code []}, as it was before its first
	 * entry. A list without the entry is left as it is.
	 */
	public void remove(String module, String entry) {
		List<String> lines = YamlLines.read(this.file);
		int at = list(lines, module);
		if (!lines.subList(at + 1, end(lines, at)).removeIf((line) -> line.trim().equals("- " + entry))) {
			return;
		}
		if (end(lines, at) == at + 1) {
			lines.set(at, lines.get(at).stripTrailing() + " []");
		}
		YamlLines.write(this.file, lines);
	}

	/**
	 * @return the line of {@code kit.ownership.<module>}
	 */
	private int list(List<String> lines, String module) {
		int kit = YamlLines.key(lines, -1, "kit");
		int ownership = (kit < 0) ? -1 : YamlLines.key(lines, kit, "ownership");
		int at = (ownership < 0) ? -1 : YamlLines.key(lines, ownership, module);
		String value = (at < 0) ? null
				: lines.get(at).trim().substring(module.length() + 1).replaceAll("#.*", "").trim();
		if (value == null || !(value.isEmpty() || value.equals("[]"))) {
			throw new RouteChangeException(this.file + " has no kit.ownership." + module + " list");
		}
		return at;
	}

	/**
	 * @return the line after the list's last entry
	 */
	private static int end(List<String> lines, int at) {
		int end = at + 1;
		while (end < lines.size() && lines.get(end).trim().startsWith("- ")) {
			end++;
		}
		return end;
	}

}
