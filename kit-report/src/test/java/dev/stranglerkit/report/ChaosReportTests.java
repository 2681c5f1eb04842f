package dev.stranglerkit.report;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The chaos report from made-up measurements: faults, their recovery, the invariants. */
class ChaosReportTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	@TempDir
	Path folder;

	@Test
	void eachFaultWithItsRecoveryAndErrors() throws Exception {
		ChaosReport.write(run(new InvariantCheck("every accepted order ended", true, "0 of 12 PENDING")), this.folder);

		String markdown = Files.readString(this.folder.resolve("chaos.md"));
		assertThat(markdown).startsWith("# Chaos on `after`: invariants hold\n\nSeed 42 (`./kit chaos after --seed 42 "
				+ "--duration 20 --rate 10 --faults kill,db` repeats it); 200 requests sent, 200 answered, "
				+ "10 client-visible errors (no answer or 5xx).");
		// the database back at 12.5 s, then 13, 14 and 15 s without an error: recovered 5
		// s after 8.0
		assertThat(markdown).contains("| 1.0 | kill | inventory-service | 1.5 | 2 | 0 |",
				"| 8.0 | db | postgresql | 4.5 | 5 | 10 |");
		// per kind in the order asked for
		assertThat(markdown).containsSubsequence("| kill | 1 | 0 | 2 |", "| db | 1 | 10 | 5 |");
		assertThat(markdown).contains("| every accepted order ended | yes | 0 of 12 PENDING |",
				"| 10 | 10 | 2 | 10.0 | 10.0 |");
	}

	@Test
	void aFailedInvariantSaysSoInTheHeadingAndItsRow() throws Exception {
		ChaosReport.write(run(new InvariantCheck("stock conserved", false, "3 < 5")), this.folder);

		assertThat(Files.readString(this.folder.resolve("chaos.md")))
			.startsWith("# Chaos on `after`: invariants FAILED")
			.contains("| stock conserved | **NO** | 3 < 5 |");
		assertThat(Files.readString(this.folder.resolve("chaos.html"))).contains(
				"invariants <span class=\"no\">FAILED</span></h1>",
				"<tr><td>stock conserved</td><td class=\"no\">NO</td><td>3 &lt; 5</td></tr>");
	}

	@Test
	void thePageDrawsTheFaultsOverTheTimelineAndNeedsNothingFromElsewhere() throws Exception {
		ChaosReport.write(run(), this.folder);

		String html = Files.readString(this.folder.resolve("chaos.html"));
		String chart = html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + "</svg>".length());
		DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(chart)));
		assertThat(chart).contains("data-chart=\"faults\"", "<title>db postgresql</title>", ">p99 ms</text>");
		assertThat(html).doesNotContainIgnoringCase("http://")
			.doesNotContainIgnoringCase("https://")
			.doesNotContainIgnoringCase("<script")
			.doesNotContainIgnoringCase("<link")
			.doesNotContainIgnoringCase("url(")
			.doesNotContainIgnoringCase(" src=");
	}

	/**
	 * 20 s at 10 requests/s, 10 ms each; from second 8 to second 12, two errors a second.
	 */
	private static ChaosRun run(InvariantCheck... invariants) {
		Recorder recorder = new Recorder(10, Duration.ofSeconds(20));
		for (int i = 0; i < 200; i++) {
			long intended = i * SECOND / 10;
			recorder.sent(0);
			int status = (i >= 80 && i < 130 && i % 5 == 0) ? 503 : 200;
			recorder.completed("GET /api/catalog/products", status, "monolith", intended, intended + 10_000_000L);
		}
		recorder.sendingEnded(20 * SECOND);
		List<ChaosRun.Fault> faults = List.of(new ChaosRun.Fault("kill", "inventory-service", 1.0, 2.5),
				new ChaosRun.Fault("db", "postgresql", 8.0, 12.5));
		return new ChaosRun("after", 42, Duration.ofSeconds(20), 10, List.of("kill", "db"), faults, recorder.result(),
				List.of(invariants));
	}

}
