package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./kit}'s help for one command, as a user asks for it. */
class KitHelpTests {

	@Test
	void aCommandAskedForHelpShowsItsOwnLinesAndDoesNothingElse() throws Exception {
		for (List<String> asked : List.of(List.of("up", "--help"), List.of("up", "-h"), List.of("help", "up"))) {
			String out = kit(asked);
			assertThat(out).as("./kit %s", String.join(" ", asked))
				.startsWith("Usage: ./kit up")
				.contains("up [app...]", "up zipkin [app...]", "up <preset>")
				.doesNotContain("cutover <module>", "unknown");
		}
		assertThat(kit(List.of("cutover", "--help"))).contains("cutover <module> <service|monolith>")
			.doesNotContain("up [app...]");
	}

	@Test
	void helpForAnUnknownCommandIsTheWholeText() throws Exception {
		assertThat(kit(List.of("help", "nosuch"))).contains("up [app...]", "cutover <module>", "doctor");
	}

	/** Runs {@code ./kit} with the arguments; what it printed (it must exit 0). */
	private static String kit(List<String> arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("bash", TestLandscape.home.resolve("kit").toString()));
		command.addAll(arguments);
		Process kit = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(kit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(kit.waitFor()).as(out).isZero();
		return out;
	}

}
