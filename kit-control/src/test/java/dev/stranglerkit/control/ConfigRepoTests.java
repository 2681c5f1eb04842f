package dev.stranglerkit.control;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A switch through the control plane: the route in gateway.yml and a line in audit.log.
 */
class ConfigRepoTests {

	@TempDir
	Path folder;

	static final Instant NOW = Instant.parse("2026-11-24T09:14:03.512Z");

	private ConfigRepo copy() throws Exception {
		Files.copy(Path.of("../config-repo/gateway.yml"), this.folder.resolve("gateway.yml"));
		return new ConfigRepo(this.folder, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void aSwitchChangesTheRouteAndAppendsWhoDidIt() throws Exception {
		ConfigRepo repo = copy();
		repo.switchRoute("inventory", Mode.CANARY, 30, "alice", "console");
		repo.switchRoute("inventory", Mode.MONOLITH, null, "bob smith", "cli");

		assertThat(repo.routes().mode("inventory")).isEqualTo(Mode.MONOLITH);
		assertThat(Files.readAllLines(this.folder.resolve("audit.log"))).containsExactly(
				"2026-11-24T09:14:03.512Z alice console inventory canary 30",
				"2026-11-24T09:14:03.512Z bob_smith cli inventory monolith -");
		assertThat(repo.audit().last(1))
			.containsExactly(new AuditLog.Entry(NOW, "bob_smith", "cli", "inventory", Mode.MONOLITH, null));
		assertThat(repo.audit().last(10)).extracting(AuditLog.Entry::user).containsExactly("bob_smith", "alice");
	}

	@Test
	void aRefusedSwitchWritesNothing() throws Exception {
		ConfigRepo repo = copy();
		String before = Files.readString(repo.routes().file());
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> repo.switchRoute("inventory", Mode.CANARY, null, "alice", "console"));
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> repo.switchRoute("nowhere", Mode.SERVICE, null, "alice", "console"));
		assertThat(Files.readString(repo.routes().file())).isEqualTo(before);
		assertThat(this.folder.resolve("audit.log")).doesNotExist();
		assertThat(repo.audit().last(5)).isEmpty();
	}

	@Test
	void skipsLinesThatAreNotEntries() throws Exception {
		Files.writeString(this.folder.resolve("audit.log"),
				"# switches\n2026-11-24T09:14:03.512Z alice console inventory canary 30\nnot a line\n");
		assertThat(new ConfigRepo(this.folder).audit().last(5)).extracting(AuditLog.Entry::mode)
			.containsExactly(Mode.CANARY);
	}

}
