package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the migration guide: every {@code shell} block of
 * {@code migration-guide/README.md}, in order, from the repository's root, as a user
 * types it; the {@code text} block after one lists lines its output must contain (numbers
 * may differ). The guide's landscape has a state folder, a copy of config-repo, databases
 * and a RabbitMQ virtual host of its own.
 * <p>
 * {@code -Dkit.guide.leftovers=true} (on demand) runs it as a user with a fresh clone on
 * a machine where the kit ran before: on the kit's own databases and virtual host as
 * earlier runs ({@code ./kit up}, {@code ./kit compare}) left them, instead of fresh ones
 * of its own.
 */
class MigrationGuideIT {

	static final boolean LEFTOVERS = Boolean.getBoolean("kit.guide.leftovers");

	static final Path guide = TestLandscape.home.resolve("migration-guide/README.md");

	static Path workspace;

	static Map<String, String> env;

	@BeforeAll
	static void aFreshPlaceForTheGuide() throws IOException {
		workspace = Files.createTempDirectory("kit-guide");
		FileSystemUtils.copyRecursively(TestLandscape.home.resolve("config-repo"), workspace.resolve("config-repo"));
		env = new LinkedHashMap<>();
		env.put("KIT_STATE", workspace.resolve("state").toString());
		env.put("KIT_CONFIG_REPO", workspace.resolve("config-repo").toString());
		// the AOT caches the landscape tests recorded (TestLandscape), or recorded here
		// for them: each application records once per build
		env.put("KIT_AOT_CACHE", TestLandscape.home.resolve("launcher/target/aot-cache").toString());
		if (LEFTOVERS) {
			System.out.println("[guide] on the kit's own databases and virtual host, as earlier runs left them");
			return;
		}
		TestLandscape.freshDatabasesAndQueues();
		env.put("SHOP_DB_NAME", TestLandscape.DATABASES.get(0));
		env.put("NOTIFICATION_DB_NAME", TestLandscape.DATABASES.get(1));
		env.put("INVENTORY_DB_NAME", TestLandscape.DATABASES.get(2));
		env.put("SPRING_RABBITMQ_VIRTUAL_HOST", TestLandscape.VHOST);
	}

	@AfterAll
	static void leaveNothingRunning() throws Exception {
		if (env != null) {
			run("./kit down");
			System.out.println("[guide] logs kept in " + workspace.resolve("state/logs"));
		}
	}

	@Test
	void everyCommandOfTheGuideRunsAndShowsWhatTheGuideSays() throws Exception {
		List<Block> blocks = blocks(Files.readAllLines(guide, StandardCharsets.UTF_8));
		assertThat(blocks).as("command blocks in " + guide).hasSizeGreaterThan(10);
		for (Block block : blocks) {
			System.out.println("[guide] $ " + block.commands().replace("\n", "\n[guide]   "));
			long begin = System.nanoTime();
			Result result = run(block.commands());
			System.out.println("[guide] " + result.output().strip().replace("\n", "\n[guide] "));
			System.out.printf("[guide] (%.1f s)%n", (System.nanoTime() - begin) / 1e9);
			assertThat(result.exit()).as("exit code of:\n%s\n%s", block.commands(), result.output()).isZero();
			String actual = normalized(result.output());
			for (String line : block.expected()) {
				assertThat(actual).as("the output of:\n%s\n(the guide says it shows '%s')", block.commands(), line)
					.contains(normalized(line));
			}
		}
	}

	/** A command block and the lines the guide says its output shows. */
	record Block(String commands, List<String> expected) {
	}

	static List<Block> blocks(List<String> lines) {
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			if (!lines.get(i).strip().equals("```shell")) {
				continue;
			}
			StringBuilder commands = new StringBuilder();
			for (i++; !lines.get(i).strip().equals("```"); i++) {
				commands.append(lines.get(i)).append('\n');
			}
			int next = i + 1;
			while (next < lines.size() && lines.get(next).isBlank()) {
				next++;
			}
			List<String> expected = new ArrayList<>();
			if (next < lines.size() && lines.get(next).strip().equals("```text")) {
				for (i = next + 1; !lines.get(i).strip().equals("```"); i++) {
					if (!lines.get(i).isBlank()) {
						expected.add(lines.get(i));
					}
				}
			}
			blocks.add(new Block(commands.toString(), expected));
		}
		return blocks;
	}

	/** Numbers (times, pids, ids) may differ from the guide's; so may spacing. */
	static String normalized(String text) {
		return text.replaceAll("\\u001B\\[[0-9;]*m", "").replaceAll("\\d+", "#").replaceAll("[ \\t]+", " ");
	}

	record Result(int exit, String output) {
	}

	static Result run(String commands) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", commands)
			.directory(TestLandscape.home.toFile())
			.redirectErrorStream(true);
		builder.environment().putAll(env);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("still running after 10 min: " + commands);
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

}
