package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.util.FileSystemUtils;

/**
 * A landscape for a whole-landscape test: the kit's packaged applications, started by the
 * launcher as {@code ./kit up} starts them, on a copy of config-repo (so a test's route
 * switches stay its own), with the tests' database and RabbitMQ virtual host, and logs
 * kept in a folder of its own.
 */
final class TestLandscape {

	static final Path home = Path.of(System.getProperty("kit.home", "..")).toAbsolutePath().normalize();

	final Path workspace;

	final Landscape landscape;

	final Launcher launcher;

	TestLandscape() {
		try {
			this.workspace = Files.createTempDirectory("kit-landscape");
			FileSystemUtils.copyRecursively(home.resolve("config-repo"), this.workspace.resolve("config-repo"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.landscape = new Landscape(home, this.workspace.resolve("config-repo"));
		// the tests' own databases and RabbitMQ virtual host (./kit test creates them)
		Map<String, String> env = Map.of("SHOP_DB_NAME", "shop_test", "NOTIFICATION_DB_NAME",
				"notification_service_test", "SPRING_RABBITMQ_VIRTUAL_HOST",
				System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		this.launcher = new Launcher(this.workspace.resolve("state"), Kit.DEFAULT_JAVA_OPTIONS, env,
				(line) -> System.out.println("[launcher] " + line), Duration.ofSeconds(240))
			// every test landscape starts once: recording an AOT cache (and writing 100
			// MB
			// per application when it stops) would only slow the build down
			.aotCache(false);
	}

	App app(String name) {
		return this.landscape.app(name);
	}

	void up(List<List<App>> tiers) {
		this.launcher.up(tiers);
	}

	/** Switches a route in this landscape's config-repo, as {@code ./kit route} does. */
	void route(String route, String mode, Integer percent) {
		new Routes().change(this.landscape.configRepo().resolve("gateway.yml"), route, mode, percent);
	}

	void down() {
		this.launcher.down();
		System.out.println("[launcher] logs kept in " + this.workspace.resolve("state/logs"));
	}

}
