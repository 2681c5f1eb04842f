package dev.stranglerkit.launcher.compare;

import java.util.List;

/**
 * The report as one HTML page that needs nothing else (no script, font or stylesheet to
 * fetch): the verdict on the invariants as a banner, the tables, and inline SVG charts.
 */
final class HtmlReport {

	private static final String STYLE = """
			body { font-family: system-ui, sans-serif; color: #212121; margin: 0 2em 2em; }
			.banner { margin: 0 -2em 1.5em; padding: 0.8em 2em; font-weight: bold; }
			.banner p { margin: 0.2em 0; }
			.failed { background: #c62828; color: #fff; }
			.ok { background: #e8f5e9; color: #1b5e20; }
			table { border-collapse: collapse; margin: 0.5em 0 1em; }
			th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }
			th.label, td.label { text-align: left; }
			td.fails { color: #c62828; font-weight: bold; }
			.note { color: #e65100; }
			.charts { display: flex; flex-wrap: wrap; gap: 1em; }
			svg.chart { max-width: 100%; height: auto; background: #fff; }
			svg.chart text { font: 12px system-ui, sans-serif; fill: #212121; }
			""";

	private final Comparison comparison;

	private final Tables tables;

	private final Charts charts;

	private final StringBuilder out = new StringBuilder();

	HtmlReport(Comparison comparison, Tables tables) {
		this.comparison = comparison;
		this.tables = tables;
		this.charts = new Charts(comparison.runs());
	}

	String render() {
		String title = Html.escape(this.comparison.title());
		append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
		append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
		append("<title>").append(title).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n");
		append("<body>\n");
		banner();
		append("<h1>").append(title).append("</h1>\n");
		append("<p>").append(Html.escape(this.tables.workload())).append(".</p>\n<ul>\n");
		for (DeploymentRun run : this.comparison.runs()) {
			String color = this.charts.color(run);
			append("<li><strong style=\"color:" + color + "\">" + Html.escape(run.name()) + "</strong>: ")
				.append(Html.escape(run.description()))
				.append("</li>\n");
		}
		append("</ul>\n");
		table(this.tables.latency());
		charts(this.tables.endpoints().stream().map(this.charts::latency).toList());
		table(this.tables.throughput());
		charts(this.comparison.runs().stream().map(this.charts::timeline).toList());
		table(this.tables.errors());
		table(this.tables.split());
		charts(this.comparison.runs().stream().map((run) -> this.charts.split(run, this.tables.endpoints())).toList());
		table(this.tables.sagas());
		table(this.tables.footprint());
		table(this.tables.processes());
		table(this.tables.invariants());
		append("</body>\n</html>\n");
		return this.out.toString();
	}

	private void banner() {
		List<String> failures = this.tables.failures();
		if (failures.isEmpty()) {
			append("<div class=\"banner ok\"><p>").append(MarkdownReport.ALL_HOLD).append("</p></div>\n");
			return;
		}
		append("<div class=\"banner failed\" role=\"alert\">\n");
		for (String failure : failures) {
			append("<p>").append(Html.escape(MarkdownReport.FAILED + failure)).append("</p>\n");
		}
		append("</div>\n");
	}

	private void table(Table table) {
		append("<h2>").append(Html.escape(table.title())).append("</h2>\n<table>\n<tr>");
		for (int i = 0; i < table.header().size(); i++) {
			append((i < table.labelColumns()) ? "<th class=\"label\">" : "<th>")
				.append(Html.escape(table.header().get(i)))
				.append("</th>");
		}
		append("</tr>\n");
		for (List<String> row : table.rows()) {
			append("<tr>");
			for (int i = 0; i < row.size(); i++) {
				String cell = row.get(i);
				String type = (i < table.labelColumns()) ? " class=\"label\""
						: cell.startsWith("FAILS") ? " class=\"fails\"" : "";
				append("<td").append(type).append('>').append(Html.escape(cell)).append("</td>");
			}
			append("</tr>\n");
		}
		append("</table>\n");
		if (table.note() != null) {
			append("<p class=\"note\">").append(Html.escape(table.note())).append("</p>\n");
		}
	}

	private void charts(List<String> svgs) {
		append("<div class=\"charts\">\n");
		svgs.forEach(this::append);
		append("</div>\n");
	}

	private StringBuilder append(String text) {
		return this.out.append(text);
	}

}
