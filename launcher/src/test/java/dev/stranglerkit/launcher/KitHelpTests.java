package dev.stranglerkit.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./kit}'s help for one command, as a user asks for it. */
class KitHelpTests {

	@Test
	void aCommandAskedForHelpShowsItsOwnLinesAndDoesNothingElse() {
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
	void helpForAnUnknownCommandIsTheWholeText() {
		assertThat(kit(List.of("help", "nosuch"))).contains("up [app...]", "cutover <module>", "doctor");
	}

	@Test
	void anUnknownCommandIsRefusedWithTheReason() {
		Ran ran = run(List.of("nosuch"));
		assertThat(ran.exit()).isEqualTo(2);
		assertThat(ran.out()).contains("Unmatched argument at index 0: 'nosuch'");
	}

	@Test
	void theCompletionScriptCompletesEveryCommand() {
		assertThat(kit(List.of("completion"))).startsWith("#!/usr/bin/env bash")
			.contains("complete -F _complete_kit")
			.contains("up", "route", "cutover", "compare", "chaos", "doctor");
	}

	/** Runs {@code ./kit} with the arguments; what it printed (it must exit 0). */
	private static String kit(List<String> arguments) {
		Ran ran = run(arguments);
		assertThat(ran.exit()).as(ran.out()).isZero();
		return ran.out();
	}

	/**
	 * Runs {@code ./kit}'s command line (what the script hands the arguments to).
	 */
	private static Ran run(List<String> arguments) {
		StringWriter out = new StringWriter();
		CommandLine kit = Kit.commandLine();
		kit.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
		int exit = kit.execute(arguments.toArray(String[]::new));
		return new Ran(exit, out.toString());
	}

	private record Ran(int exit, String out) {
	}

}
