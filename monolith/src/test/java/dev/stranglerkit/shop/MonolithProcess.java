package dev.stranglerkit.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monolith started from its jar as a user starts it ({@code ./kit run monolith}: no
 * config server, config-repo's files), on the tests' database and virtual host, for the
 * tests that kill it.
 */
final class MonolithProcess {

	static final String DATABASE = "jdbc:postgresql://%s:%s/%s".formatted(env("SHOP_DB_HOST", "127.0.0.1"),
			env("SHOP_DB_PORT", "5432"), env("SHOP_TEST_DB_NAME", "shop_test"));

	static final String VHOST = env("SHOP_TEST_RABBIT_VHOST", "shop_test");

	private MonolithProcess() {
	}

	/**
	 * Starts the monolith's jar, its output in {@code target/kill-test-<name>.log}.
	 * @param args its further command-line arguments
	 */
	static Process start(String name, int port, int rabbitPort, List<String> args) throws IOException {
		Path jar;
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			jar = files.filter((f) -> f.getFileName().toString().matches("monolith-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No monolith jar in target/: run `mvn package` first"));
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(),
				// alone, as ./kit run starts it from the kit's folder: config-repo's
				// files
				"--kit.config-import=file:../config-repo/application.yml,file:../config-repo/monolith.yml",
				"--server.port=" + port, "--spring.datasource.url=" + DATABASE, "--spring.rabbitmq.port=" + rabbitPort,
				"--spring.rabbitmq.virtual-host=" + VHOST));
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(Path.of("target", "kill-test-" + name + ".log").toFile());
		// the same files for what reads the configuration without the command line:
		// Spring Modulith's module detection builds an environment of its own from
		// application.yml, whose default is config-repo/ under the working directory
		builder.environment().put("KIT_CONFIG_REPO", "../config-repo");
		return builder.start();
	}

	static void awaitReady(Http http, Process process) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
			assertThat(process.isAlive()).as("the monolith process is running (see target/kill-test-*.log)").isTrue();
			try {
				return http.get("/actuator/health/readiness").status() == 200;
			}
			catch (UncheckedIOException ex) {
				return false;
			}
		});
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static String env(String name, String fallback) {
		return System.getenv().getOrDefault(name, fallback);
	}

}
