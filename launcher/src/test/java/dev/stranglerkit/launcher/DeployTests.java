package dev.stranglerkit.launcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./kit images}' message when Jib could not build: what happened, plainly. */
class DeployTests {

	@Test
	void aBaseImageThatCannotBePulledIsSaidSoWithTheWayOut() {
		// Maven's output as Jib 3.5.2 ends it on a machine that cannot reach Docker Hub
		String output = """
				[INFO] Getting manifest for base image eclipse-temurin:25-jre...
				[ERROR] I/O error for image [registry-1.docker.io/library/eclipse-temurin]:
				[ERROR]     java.net.UnknownHostException
				[ERROR]     registry-1.docker.io: Name or service not known
				[INFO] BUILD FAILURE
				""";
		assertThat(Deploy.Images.failure("eclipse-temurin:25-jre", output)).startsWith(
				"the base image eclipse-temurin:25-jre could not be pulled: I/O error for image [registry-1.docker.io/library/eclipse-temurin]:")
			.contains("KIT_IMAGE_BASE", "docker://", "tar://");
	}

	@Test
	void anyOtherFailureNamesMavensFirstError() {
		String output = """
				[INFO] Compiling 12 source files
				[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.14.1:compile
				[ERROR] Another line
				""";
		assertThat(Deploy.Images.failure("eclipse-temurin:25-jre", output)).isEqualTo(
				"the images were not built: [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.14.1:compile");
	}

}
