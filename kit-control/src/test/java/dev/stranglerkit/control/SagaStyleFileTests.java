package dev.stranglerkit.control;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The saga style switched on a copy of the kit's own monolith.yml. */
class SagaStyleFileTests {

	@TempDir
	Path folder;

	@Test
	void switchesTheStyleAndKeepsEverythingElse() throws Exception {
		Path monolith = this.folder.resolve("monolith.yml");
		Files.copy(Path.of("../config-repo/monolith.yml"), monolith);
		List<String> before = Files.readAllLines(monolith);
		SagaStyleFile file = new SagaStyleFile(monolith);
		assertThat(file.style()).isEqualTo("choreography");

		file.change("orchestration");

		assertThat(file.style()).isEqualTo("orchestration");
		List<String> after = Files.readAllLines(monolith);
		assertThat(after).hasSameSizeAs(before);
		for (int i = 0; i < before.size(); i++) {
			if (!before.get(i).trim().startsWith("style:")) {
				assertThat(after.get(i)).isEqualTo(before.get(i));
			}
		}
		file.change("choreography");
		assertThat(Files.readAllLines(monolith)).isEqualTo(before);
	}

	@Test
	void writesTheKeyWhereTheFileHasNone() throws Exception {
		Path monolith = this.folder.resolve("monolith.yml");
		Files.writeString(monolith, "server:\n  port: 8081\nshop:\n  inventory:\n    enabled: true\n");
		SagaStyleFile file = new SagaStyleFile(monolith);
		assertThat(file.style()).isEqualTo("choreography");

		file.change("orchestration");

		assertThat(file.style()).isEqualTo("orchestration");
		assertThat(Files.readString(monolith))
			.startsWith("server:\n  port: 8081\nshop:\n  saga:\n    style: orchestration\n");
	}

	@Test
	void refusesAStyleTheMonolithDoesNotKnowAndWritesNothing() throws Exception {
		Path monolith = this.folder.resolve("monolith.yml");
		Files.copy(Path.of("../config-repo/monolith.yml"), monolith);
		String before = Files.readString(monolith);

		assertThatIllegalArgumentException().isThrownBy(() -> new SagaStyleFile(monolith).change("saga-o-matic"))
			.withMessageContaining("one of choreography, orchestration");
		assertThat(Files.readString(monolith)).isEqualTo(before);
	}

}
