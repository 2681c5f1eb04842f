package dev.stranglerkit.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./kit compare}'s report: the deployments side by side, as {@code compare.md} (to
 * read in a terminal or commit) and as {@code compare.html}, one self-contained page with
 * charts that opens offline (no script, font or stylesheet to fetch). A failed invariant
 * comes first in both: figures from a deployment that broke orders must not be read as a
 * win.
 */
public final class CompareReport {

	static final String ALL_HOLD = "All invariants hold in every deployment";

	static final String FAILED = "INVARIANTS FAILED: ";

	private CompareReport() {
	}

	/**
	 * Writes {@code compare.md} and {@code compare.html} into the directory (made if
	 * missing).
	 * @return whether every invariant of every deployment holds
	 */
	public static boolean write(Comparison comparison, Path directory) throws IOException {
		Tables tables = new Tables(comparison);
		Charts charts = new Charts(comparison.runs());
		List<String> everyEndpoint = tables.endpoints().stream().map(charts::latency).toList();
		List<String> everyRun = comparison.runs().stream().map(charts::timeline).toList();
		List<String> splits = comparison.runs().stream().map((run) -> charts.split(run, tables.endpoints())).toList();
		List<Section> sections = List.of(new Section(tables.latency(), everyEndpoint),
				new Section(tables.throughput(), everyRun), new Section(tables.errors(), List.of()),
				new Section(tables.split(), splits), new Section(tables.sagas(), List.of()),
				new Section(tables.footprint(), List.of()), new Section(tables.processes(), List.of()),
				new Section(tables.invariants(), List.of()));
		List<Deployment> deployments = comparison.runs()
			.stream()
			.map((run) -> new Deployment(run.name(), (run.description() != null) ? run.description() : "",
					charts.color(run)))
			.toList();
		List<String> failures = tables.failures().stream().map((failure) -> FAILED + failure).toList();
		Page page = new Page(comparison.title(), tables.workload(), failures, deployments, sections);
		Files.createDirectories(directory);
		Files.writeString(directory.resolve("compare.md"), Templates.render("compare.md.mustache", page),
				StandardCharsets.UTF_8);
		Files.writeString(directory.resolve("compare.html"), Templates.render("compare.html.mustache", page),
				StandardCharsets.UTF_8);
		return failures.isEmpty();
	}

	/**
	 * What the templates show.
	 *
	 * @param workload what ran, for the line under the title
	 * @param failures one line per failed invariant, empty when all hold
	 * @param sections the tables in order, each with the charts drawn under it on the
	 * page
	 */
	record Page(String title, String workload, List<String> failures, List<Deployment> deployments,
			List<Section> sections) {

		String allHold() {
			return this.failures.isEmpty() ? ALL_HOLD : null;
		}

		boolean failed() {
			return !this.failures.isEmpty();
		}

	}

	/**
	 * @param color the deployment's colour in every chart
	 */
	record Deployment(String name, String description, String color) {
	}

	/**
	 * @param charts inline SVG
	 */
	record Section(Table table, List<String> charts) {

		boolean drawn() {
			return !this.charts.isEmpty();
		}

	}

}
