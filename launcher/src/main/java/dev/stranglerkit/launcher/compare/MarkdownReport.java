package dev.stranglerkit.launcher.compare;

import java.util.List;

/**
 * The report as Markdown: the verdict on the invariants first, then the tables.
 */
final class MarkdownReport {

	static final String ALL_HOLD = "All invariants hold in every deployment";

	static final String FAILED = "INVARIANTS FAILED: ";

	private final Comparison comparison;

	private final Tables tables;

	private final StringBuilder out = new StringBuilder();

	MarkdownReport(Comparison comparison, Tables tables) {
		this.comparison = comparison;
		this.tables = tables;
	}

	String render() {
		List<String> failures = this.tables.failures();
		if (failures.isEmpty()) {
			line(ALL_HOLD).line("");
		}
		else {
			// one failure a line, each a paragraph of its own
			failures.forEach((failure) -> line(FAILED + failure).line(""));
		}
		line("# " + this.comparison.title()).line("");
		line(this.tables.workload() + ".").line("");
		for (DeploymentRun run : this.comparison.runs()) {
			line("- **" + run.name() + "**: " + ((run.description() != null) ? run.description() : ""));
		}
		for (Table table : this.tables.all()) {
			line("").line("## " + table.title()).line("");
			table(table);
			if (table.note() != null) {
				line("").line(table.note());
			}
		}
		return this.out.toString();
	}

	private void table(Table table) {
		line(cells(table.header()));
		StringBuilder rule = new StringBuilder("|");
		for (int i = 0; i < table.header().size(); i++) {
			rule.append((i < table.labelColumns()) ? " --- |" : " ---: |");
		}
		line(rule.toString());
		table.rows().forEach((row) -> line(cells(row)));
	}

	private static String cells(List<String> cells) {
		StringBuilder line = new StringBuilder("|");
		cells.forEach((cell) -> line.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ')).append(" |"));
		return line.toString();
	}

	private MarkdownReport line(String text) {
		this.out.append(text).append('\n');
		return this;
	}

}
