package dev.stranglerkit.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code ./kit route} on a copy of the kit's own gateway.yml. */
class RoutesTests {

	@TempDir
	Path folder;

	final Routes routes = new Routes();

	private Path copy() throws Exception {
		Path gateway = this.folder.resolve("gateway.yml");
		Files.copy(Path.of("../config-repo/gateway.yml"), gateway);
		return gateway;
	}

	@Test
	void changesOnlyTheRoutesModeAndPercentAndKeepsEverythingElse() throws Exception {
		Path gateway = copy();
		List<String> before = Files.readAllLines(gateway);
		this.routes.switchRoute(this.folder, "inventory", "canary", 30);
		List<String> after = Files.readAllLines(gateway);

		assertThat(after).hasSameSizeAs(before);
		List<Integer> changed = new java.util.ArrayList<>();
		for (int i = 0; i < before.size(); i++) {
			if (!before.get(i).equals(after.get(i))) {
				changed.add(i);
			}
		}
		assertThat(changed).extracting(after::get).containsExactly("      mode: canary", "      canary-percent: 30");
		// the other routes' modes are untouched
		assertThat(after.stream().filter((line) -> line.equals("      mode: monolith"))).hasSize(4);
	}

	@Test
	void addsAPercentToARouteThatHadNone() throws Exception {
		Path gateway = copy();
		this.routes.switchRoute(this.folder, "notifications", "canary", 10);
		String text = Files.readString(gateway);
		String notifications = text.substring(text.indexOf("    notifications:"));
		assertThat(notifications).contains("      mode: canary\n").contains("      canary-percent: 10");
		this.routes.switchRoute(this.folder, "notifications", "service", null);
		assertThat(Files.readString(gateway).substring(text.indexOf("    notifications:")))
			.contains("      mode: service\n")
			.contains("      canary-percent: 10");
	}

	@Test
	void kitRouteRecordsTheSwitchInTheAuditLogUnderTheOsUser() throws Exception {
		copy();
		this.routes.switchRoute(this.folder, "inventory", "canary", 30);
		String user = System.getProperty("user.name").strip().replaceAll("\\s+", "_");
		assertThat(Files.readAllLines(this.folder.resolve("audit.log"))).singleElement()
			.asString()
			.matches("\\S+Z " + java.util.regex.Pattern.quote(user) + " cli inventory canary 30");
		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> this.routes.switchRoute(this.folder, "inventory", "canary", null))
			.withMessageContaining("canary needs a percent");
		assertThat(Files.readAllLines(this.folder.resolve("audit.log"))).hasSize(1);
	}

	@Test
	void refusesBadInputAndLeavesTheFileAlone() throws Exception {
		Path gateway = copy();
		String before = Files.readString(gateway);
		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> this.routes.switchRoute(this.folder, "inventory", "sideways", null))
			.withMessageContaining("one of monolith, shadow, canary, service");
		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> this.routes.switchRoute(this.folder, "inventory", "canary", 101))
			.withMessageContaining("between 0 and 100");
		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> this.routes.switchRoute(this.folder, "inventory", "canary", null))
			.withMessageContaining("canary needs a percent");
		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> this.routes.switchRoute(this.folder, "paths", "service", null))
			.withMessage(
					"no route 'paths' in config-repo/gateway.yml (routes: catalog, inventory, orders, payments, notifications)");
		assertThat(Files.readString(gateway)).isEqualTo(before);
	}

}
