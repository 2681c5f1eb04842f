package dev.stranglerkit.report;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The compare report from made-up measurements: the verdict first, tables and charts. */
class CompareReportTests {

	private static final String CATALOG = "GET /api/catalog/products";

	private static final String ORDERS = "POST /api/orders";

	private static final Pattern SVG = Pattern.compile("<svg class=\"chart\" data-chart=\"(\\w+)\".*?</svg>",
			Pattern.DOTALL);

	private static final Pattern POINTS = Pattern.compile("<polyline[^>]* points=\"([^\"]*)\"");

	@TempDir
	Path folder;

	@Test
	void aFailedInvariantComesFirstAndFailsTheComparison() throws Exception {
		DeploymentRun after = run("after", "service", true,
				new InvariantCheck("no order left PENDING", false, "1 of 120 orders PENDING"));
		boolean holds = CompareReport.write(comparison(run("before", "monolith", false, holds()), after), this.folder);

		assertThat(holds).isFalse();
		String failure = "INVARIANTS FAILED: after: no order left PENDING (1 of 120 orders PENDING)";
		List<String> markdown = Files.readAllLines(this.folder.resolve("compare.md"));
		assertThat(markdown.stream().filter((line) -> !line.isBlank()).findFirst()).contains(failure);
		String html = Files.readString(this.folder.resolve("compare.html"));
		String body = html.substring(html.indexOf("<body>") + "<body>".length()).stripLeading();
		assertThat(body).startsWith("<div class=\"banner failed\" role=\"alert\">\n<p>" + failure + "</p>");
		assertThat(html).doesNotContain("All invariants hold");
		assertThat(markdown)
			.contains("| no order left PENDING | holds: 0 of 120 orders PENDING | FAILS: 1 of 120 orders PENDING |");
	}

	@Test
	void everyFailureGetsItsLine() throws Exception {
		InvariantCheck lost = new InvariantCheck("no event lost", false, "3 of 500 events unconsumed");
		InvariantCheck pending = new InvariantCheck("no order left PENDING", false, "2 of 120 orders PENDING");
		boolean holds = CompareReport.write(
				comparison(run("before", "monolith", false, lost), run("after", "service", true, pending, lost)),
				this.folder);

		assertThat(holds).isFalse();
		assertThat(Files.readAllLines(this.folder.resolve("compare.md"))
			.stream()
			.filter((line) -> !line.isBlank())
			.limit(3)).containsExactly("INVARIANTS FAILED: before: no event lost (3 of 500 events unconsumed)",
					"INVARIANTS FAILED: after: no order left PENDING (2 of 120 orders PENDING)",
					"INVARIANTS FAILED: after: no event lost (3 of 500 events unconsumed)");
	}

	@Test
	void aHealthyComparisonSaysSoAndHasEveryTableAndChart() throws Exception {
		boolean holds = CompareReport.write(
				comparison(run("before", "monolith", false, holds()), run("after", "service", true, holds())),
				this.folder);

		assertThat(holds).isTrue();
		String markdown = Files.readString(this.folder.resolve("compare.md"));
		assertThat(markdown).startsWith("All invariants hold in every deployment\n");
		assertThat(markdown).contains("| Endpoint |  | before | after |", "| " + CATALOG + " | p99.9 | 14.0 | 10.0 |",
				"| POST /api/orders | error | 1 | 1 |", "| POST /api/orders | 503 | 1 | 1 |",
				"| GET /api/catalog/products | service | 0 (0.0%) | 75 (75.0%) |", "## Footprint",
				"| memory, total (MiB) | 768.0 | 1152.0 |", "| processes | 2 | 3 |", "| start-up (s) | 4.5 | 9 |");
		// the saga timing measured in one deployment only
		assertThat(markdown).contains("| saga completion | not measured | n=1,000, p50 ");
		// what an order cost, measured in one deployment only
		assertThat(markdown).contains("| messages per order | - | 9.5 (4 via RabbitMQ) |",
				"| database writes per order | - | 31.5 |");
		String html = Files.readString(this.folder.resolve("compare.html"));
		assertThat(html.substring(html.indexOf("<body>")))
			.startsWith("<body>\n<div class=\"banner ok\"><p>All invariants hold in every deployment</p></div>");

		List<String> latency = charts(html, "latency");
		List<String> timeline = charts(html, "timeline");
		List<String> split = charts(html, "split");
		assertThat(latency).hasSize(2); // one per endpoint
		assertThat(timeline).hasSize(2); // one per deployment
		assertThat(split).hasSize(2);
		for (String chart : latency) {
			// a line per deployment, each with its points
			assertThat(polylines(chart)).hasSize(2).allMatch((points) -> points >= 2);
			assertThat(chart).contains("<title>Latency by percentile: ", ">99.9</text>");
		}
		assertThat(latency.get(0)).contains(CATALOG);
		for (String chart : timeline) {
			// completed and errors per second
			assertThat(polylines(chart)).hasSize(2).allMatch((points) -> points >= 2);
			assertThat(chart).contains("<title>Throughput and errors over time: ");
		}
		for (String chart : split) {
			assertThat(chart).contains("<title>Traffic split by X-Served-By: ").contains("<rect ");
			assertThat(chart).containsPattern("<rect [^>]*width=\"[1-9][\\d.]*\"[^>]*><title>");
		}
		// the split's bars: monolith only before, monolith and service after
		assertThat(split.get(0)).contains("<title>monolith: 100 (100 %)</title>").doesNotContain("<title>service:");
		assertThat(split.get(1)).contains("<title>monolith: 25 (25 %)</title>", "<title>service: 75 (75 %)</title>");
		// every chart is well-formed markup
		for (String chart : charts(html, "\\w+")) {
			DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(chart)));
		}
	}

	@Test
	void thePageNeedsNothingFromElsewhere() throws Exception {
		CompareReport.write(
				comparison(run("before", "monolith", false, holds()), run("after", "service", true, holds())),
				this.folder);

		String html = Files.readString(this.folder.resolve("compare.html"));
		assertThat(html).doesNotContainIgnoringCase("http://")
			.doesNotContainIgnoringCase("https://")
			.doesNotContainIgnoringCase("<script")
			.doesNotContainIgnoringCase("<link")
			.doesNotContainIgnoringCase("@import")
			.doesNotContainIgnoringCase("url(")
			.doesNotContainIgnoringCase(" src=");
	}

	@Test
	void escapesWhatItShows() throws Exception {
		DeploymentRun odd = new DeploymentRun("<b>x</b>", "\"quoted\" & <i>odd</i>", workload(5, "monolith|x", 1),
				List.of(), 1, null, null, null, List.of(new InvariantCheck("<check>", false, "a < b")));
		CompareReport.write(comparison(odd), this.folder);

		String html = Files.readString(this.folder.resolve("compare.html"));
		assertThat(html)
			.contains("&lt;b&gt;x&lt;/b&gt;", "&quot;quoted&quot; &amp; &lt;i&gt;odd&lt;/i&gt;",
					"INVARIANTS FAILED: &lt;b&gt;x&lt;/b&gt;: &lt;check&gt; (a &lt; b)")
			.doesNotContain("<b>x</b>", "<i>odd</i>", "<check>");
		// a | in a cell does not break the Markdown table
		assertThat(Files.readString(this.folder.resolve("compare.md"))).contains("| monolith\\|x |");
	}

	@Test
	void rendersAnyNumberOfDeploymentsAndOnesNotMeasured() throws Exception {
		DeploymentRun unmeasured = new DeploymentRun("third", "did not start", null, List.of(), 0, null, null, null,
				List.of());
		assertThat(CompareReport.write(comparison(run("only", "monolith", false, holds())), this.folder)).isTrue();
		assertThat(charts(Files.readString(this.folder.resolve("compare.html")), "timeline")).hasSize(1);

		assertThat(CompareReport.write(comparison(run("before", "monolith", false, holds()),
				run("after", "service", true, holds()), unmeasured), this.folder))
			.isTrue();
		String html = Files.readString(this.folder.resolve("compare.html"));
		assertThat(charts(html, "timeline")).hasSize(3);
		assertThat(charts(html, "split")).hasSize(3);
		assertThat(charts(html, "latency")).hasSize(2).allMatch((chart) -> polylines(chart).size() == 2);
		assertThat(Files.readString(this.folder.resolve("compare.md")))
			.contains("| " + CATALOG + " | p50 | 13.0 | 9.0 | not measured |");
	}

	private static List<String> charts(String html, String kind) {
		List<String> charts = new ArrayList<>();
		Matcher svg = SVG.matcher(html);
		while (svg.find()) {
			if (svg.group(1).matches(kind)) {
				charts.add(svg.group());
			}
		}
		return charts;
	}

	/**
	 * @return each polyline's number of points
	 */
	private static List<Integer> polylines(String chart) {
		List<Integer> counts = new ArrayList<>();
		Matcher points = POINTS.matcher(chart);
		while (points.find()) {
			counts.add(points.group(1).trim().split("\\s+").length);
		}
		return counts;
	}

	private static Comparison comparison(DeploymentRun... runs) {
		return new Comparison("Inventory extracted", 100, Duration.ofSeconds(60), Instant.parse("2025-06-01T10:00:00Z"),
				List.of(runs));
	}

	private static InvariantCheck[] holds() {
		return new InvariantCheck[] { new InvariantCheck("no order left PENDING", true, "0 of 120 orders PENDING") };
	}

	/**
	 * @param extracted whether inventory is extracted: faster catalog, three processes,
	 * three quarters of the catalog served by the service, saga timings measured
	 */
	private static DeploymentRun run(String name, String server, boolean extracted, InvariantCheck... invariants) {
		List<Footprint> processes = new ArrayList<>(List.of(new Footprint("monolith", 101, 512L << 20, 30.5, 4.5),
				new Footprint("gateway", 102, 256L << 20, 5, 3)));
		if (extracted) {
			processes.add(new Footprint("inventory-service", 103, 384L << 20, 12, 5));
		}
		Histogram saga = new Histogram(3);
		for (int i = 1; i <= 1000; i++) {
			saga.recordValue(i * 100L);
		}
		return new DeploymentRun(name, "the shop with " + server,
				workload(extracted ? 8 : 12, server, extracted ? 3 : 0), processes, extracted ? 9 : 4.5,
				extracted ? Summary.of(saga) : null, extracted ? Summary.of(saga) : null,
				extracted ? new PerOrder(120, 9.5, 4, 31.5) : null, List.of(invariants));
	}

	/**
	 * 100 catalog reads at the given latency (of which serviceQuarters quarters served by
	 * "service", the rest by "monolith") and 50 order posts with one 503 and one timeout,
	 * over 3 seconds.
	 */
	private static WorkloadResult workload(int catalogMs, String server, int serviceQuarters) {
		Recorder recorder = new Recorder(50, Duration.ofSeconds(3));
		long second = Duration.ofSeconds(1).toNanos();
		for (int i = 0; i < 100; i++) {
			long intended = i * 3 * second / 100;
			recorder.sent(0);
			String servedBy = (i % 4 < serviceQuarters) ? "service" : server.equals("service") ? "monolith" : server;
			recorder.completed(CATALOG, 200, servedBy, intended, intended + (catalogMs + i % 3) * 1_000_000L);
		}
		for (int i = 0; i < 50; i++) {
			long intended = i * 3 * second / 50;
			recorder.sent(0);
			int status = (i == 10) ? 503 : (i == 20) ? 0 : 201;
			long latency = (status == 0) ? 10 * second : (30 + i) * 1_000_000L;
			recorder.completed(ORDERS, status, (status == 0) ? null : "monolith", intended, intended + latency);
		}
		recorder.sendingEnded(3 * second);
		return recorder.result();
	}

}
