package dev.stranglerkit.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import dev.stranglerkit.control.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short seeded {@code ./kit chaos} run on the deployment after extraction, every fault
 * kind at least once (a process killed, RabbitMQ and PostgreSQL stopped, the config
 * server or Eureka down, one hop delayed), as a user runs it: every invariant of
 * {@code ./kit compare} holds afterwards, the report has its timeline drawn, and RabbitMQ
 * and PostgreSQL are running again, undelayed, for the tests after it.
 */
class ChaosLandscapeIT {

	static final long SEED = 20261204;

	@Test
	void aShortSeededChaosRunKeepsEveryInvariant() throws Exception {
		TestLandscape landscape = new TestLandscape();
		Path reports = Files.createTempDirectory("chaos");
		int exit;
		try {
			exit = new Chaos(Preset.named("after"), 5, Duration.ofSeconds(150), SEED, EnumSet.allOf(Chaos.Kind.class),
					reports)
				.run(landscape.landscape, landscape.launcher, (line) -> System.out.println("[chaos] " + line),
						"admin:admin-secret");
		}
		finally {
			landscape.down();
		}
		String report;
		String page;
		try (Stream<Path> runs = Files.list(reports)) {
			Path run = runs.findFirst().orElseThrow();
			report = Files.readString(run.resolve("chaos.md"));
			page = Files.readString(run.resolve("chaos.html"));
		}
		System.out.println(report);
		assertThat(page).contains("<svg")
			.contains("p99 ms")
			.containsPattern("latency (postgresql|rabbitmq) \\+\\d+ ms");
		for (String kind : List.of("kill", "broker", "db", "control", "latency")) {
			assertThat(report).as("a %s fault was injected", kind).containsPattern("\\| [\\d.]+ \\| " + kind + " \\|");
		}
		assertThat(exit).as("the invariants (see the report above)").isZero();
		assertThat(report).startsWith("# Chaos on `after`: invariants hold");
		assertThat(Http.listening(java.net.URI.create("http://127.0.0.1:5432"))).as("PostgreSQL is back").isTrue();
		assertThat(Http.listening(java.net.URI.create("http://127.0.0.1:5672"))).as("RabbitMQ is back").isTrue();
	}

}
