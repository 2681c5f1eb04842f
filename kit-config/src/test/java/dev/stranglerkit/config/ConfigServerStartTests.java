package dev.stranglerkit.config;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An application started while its config server does not answer (a port nothing listens
 * on: a real refused connection each time).
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigServerStartTests {

	@TempDir
	Path lastKnown;

	@AfterEach
	void forgetTheOrigin() {
		ConfigOrigin.set(null);
	}

	@Test
	void waitsForTheServerAndFailsOnlyWhenItNeverAnswers(CapturedOutput output) throws Exception {
		assertThatException().isThrownBy(() -> start("--kit.config.retry-for=3s").close());
		assertThat(output.getErr().lines().filter((line) -> line.contains("The config server did not answer")))
			.as("asked more than once before giving up")
			.hasSizeGreaterThan(1);
	}

	@Test
	void withoutLastKnownEnabledAFileIsNotUsed() throws Exception {
		Files.writeString(this.lastKnown.resolve("kit-config-test.properties"), "greeting=from before\n");
		assertThatException()
			.isThrownBy(() -> start("--kit.config.last-known.enabled=false", "--kit.config.retry-for=2s").close());
	}

	@Test
	void startsFromTheLastKnownConfigurationAndSaysSoInItsHealth() throws Exception {
		Files.writeString(this.lastKnown.resolve("kit-config-test.properties"), "greeting=from before\n");
		try (ConfigurableApplicationContext context = start("--kit.config.last-known.after=2s")) {
			assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("from before");
			assertThat(context.getEnvironment().getProperty(ConfigServerStart.SOURCE)).isEqualTo("last-known");
			assertThat(context.getBean(LastKnownConfiguration.class).health().getDetails())
				.containsEntry("source", "last-known")
				.containsKey("receivedAt");
		}
	}

	@Test
	void startsFromTheLastKnownConfigurationWithAProfileActive() throws Exception {
		// the profile's import is a second load of the same start: the file holds it too
		Files.writeString(this.lastKnown.resolve("kit-config-test.properties"), "greeting=from before\n");
		try (ConfigurableApplicationContext context = start("--kit.config.last-known.after=2s",
				"--spring.profiles.active=landscape")) {
			assertThat(context.getEnvironment().getProperty("greeting")).isEqualTo("from before");
			assertThat(context.getBean(LastKnownConfiguration.class).health().getDetails()).containsEntry("source",
					"last-known");
		}
	}

	@Test
	void withNoLastKnownConfigurationItWaitsAsTheOthersDo() throws Exception {
		assertThatException().isThrownBy(() -> start("--kit.config.retry-for=2s").close());
	}

	private ConfigurableApplicationContext start(String... args) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 4];
		all[0] = "--spring.application.name=kit-config-test";
		all[1] = "--spring.config.import=configserver:http://127.0.0.1:" + port;
		all[2] = "--spring.cloud.config.fail-fast=true";
		all[3] = "--kit.config.last-known.dir=" + this.lastKnown;
		System.arraycopy(args, 0, all, 4, args.length);
		return application.run(all);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
