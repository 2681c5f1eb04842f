package dev.stranglerkit.launcher.compare;

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

}
