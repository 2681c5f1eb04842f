package dev.stranglerkit.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.stranglerkit.control.AuditLog;
import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/** The presets of {@code ./kit up <preset>}, and what they read of config-repo. */
class PresetTests {

	@TempDir
	Path configRepo;

	@Test
	void beforeIsTheMonolithBehindTheGatewayAndAfterHasBothServices() {
		assertThat(Preset.named("before").apps()).containsExactly("config-server", "discovery", "monolith", "gateway");
		assertThat(Preset.named("after").apps()).containsExactly("config-server", "discovery", "monolith",
				"inventory-service", "notification-service", "gateway");
		assertThat(Preset.named("before").owners()).containsOnly(java.util.Map.entry("inventory", Owner.MONOLITH),
				java.util.Map.entry("notifications", Owner.MONOLITH));
		assertThat(Preset.named("step-4").owners()).containsEntry("notifications", Owner.SERVICE)
			.containsEntry("inventory", Owner.MONOLITH);
		assertThat(Preset.named("step-6")).usingRecursiveComparison()
			.ignoringFields("name")
			.isEqualTo(Preset.named("after"));
	}

	@Test
	void anUnknownPresetNamesTheKnownOnes() {
		assertThatExceptionOfType(LaunchException.class).isThrownBy(() -> Preset.named("later"))
			.withMessageContaining("before, after, step-3, step-4, step-5, step-6");
	}

	@Test
	void readsTheOwnerAndTheRouteModeThatConfigRepoHasNow() throws Exception {
		for (String file : new String[] { "application.yml", "gateway.yml" }) {
			Files.copy(Path.of("../config-repo", file), this.configRepo.resolve(file));
		}
		Cutover cutover = new Cutover(this.configRepo);
		Routes routes = new Routes();
		assertThat(cutover.owner("inventory")).isEqualTo(Owner.MONOLITH);
		assertThat(routes.mode(this.configRepo.resolve("gateway.yml"), "inventory")).isEqualTo(Mode.MONOLITH);

		cutover.write("inventory", Owner.SERVICE);

		assertThat(cutover.owner("inventory")).isEqualTo(Owner.SERVICE);
		assertThat(cutover.owner("notifications")).isEqualTo(Owner.MONOLITH);
		assertThat(routes.mode(this.configRepo.resolve("gateway.yml"), "inventory")).isEqualTo(Mode.SERVICE);
		cutover.write("inventory", Owner.MONOLITH);
		assertThat(cutover.owner("inventory")).isEqualTo(Owner.MONOLITH);
		// like every switch, recorded in the audit log
		assertThat(new ConfigRepo(this.configRepo).audit().last(10))
			.extracting(AuditLog.Entry::via, AuditLog.Entry::route, AuditLog.Entry::mode)
			.containsExactly(tuple("cli", "inventory", Mode.MONOLITH), tuple("cli", "inventory", Mode.SERVICE));
	}

}
