package dev.stranglerkit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One table of the report, as text, so that the Markdown and the HTML page show the same
 * figures: a few label columns, then one column per deployment.
 *
 * @param title the section's heading
 * @param header the column headers, the deployments' names last
 * @param labelColumns how many columns at the left are labels rather than figures
 * @param rows the cells, as wide as the header
 * @param note a remark shown under the table, or null
 */
record Table(String title, List<String> header, int labelColumns, List<List<String>> rows, String note) {

	/**
	 * @return the header's cells, for the templates
	 */
	List<Cell> head() {
		return cells(this.header);
	}

	/**
	 * @return the rows' cells, for the templates
	 */
	List<Row> body() {
		return this.rows.stream().map((row) -> new Row(cells(row))).toList();
	}

	private List<Cell> cells(List<String> texts) {
		List<Cell> cells = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			cells.add(new Cell(texts.get(i), i < this.labelColumns));
		}
		return cells;
	}

	record Row(List<Cell> cells) {
	}

	/**
	 * @param label whether the cell is in a label column (left-aligned) rather than a
	 * figure
	 */
	record Cell(String text, boolean label) {

		/** a failed invariant's verdict, shown as an alarm */
		boolean fails() {
			return !this.label && this.text.startsWith("FAILS");
		}

		/** the text, made safe for a Markdown table's cell */
		String markdown() {
			return this.text.replace("|", "\\|").replace('\n', ' ');
		}

		/** the cell's part of the Markdown table's rule, which aligns its column */
		String rule() {
			return this.label ? "---" : "---:";
		}

	}

}
