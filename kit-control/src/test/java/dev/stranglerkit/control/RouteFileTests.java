package dev.stranglerkit.control;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Route switches on a copy of the kit's own gateway.yml. */
class RouteFileTests {

	@TempDir
	Path folder;

	private RouteFile copy() throws Exception {
		Path gateway = this.folder.resolve("gateway.yml");
		Files.copy(Path.of("../config-repo/gateway.yml"), gateway);
		return new RouteFile(gateway);
	}

	@Test
	void readsEveryRouteAsTheFileSaysIt() throws Exception {
		RouteFile file = copy();
		file.change("inventory", Mode.CANARY, 30, Owner.MONOLITH);
		assertThat(file.routes()).extracting(Route::name)
			.containsExactly("catalog", "inventory", "orders", "payments", "notifications");
		assertThat(file.routes()).filteredOn((route) -> route.name().equals("inventory"))
			.containsExactly(new Route("inventory", Mode.CANARY, 30, Owner.MONOLITH));
		assertThat(file.routes()).filteredOn((route) -> route.name().equals("catalog"))
			.containsExactly(new Route("catalog", Mode.MONOLITH, null, null));
		assertThat(file.mode("inventory")).isEqualTo(Mode.CANARY);
	}

	@Test
	void changesOnlyTheRoutesModeAndPercentAndKeepsEverythingElse() throws Exception {
		RouteFile file = copy();
		file.change("inventory", Mode.SHADOW, 0, null);
		List<String> before = Files.readAllLines(file.file());
		file.change("inventory", Mode.CANARY, 30, null);
		List<String> after = Files.readAllLines(file.file());

		assertThat(after).hasSameSizeAs(before);
		List<Integer> changed = new ArrayList<>();
		for (int i = 0; i < before.size(); i++) {
			if (!before.get(i).equals(after.get(i))) {
				changed.add(i);
			}
		}
		assertThat(changed).extracting(after::get).containsExactly("      mode: canary", "      canary-percent: 30");
	}

	@Test
	void keepsACommentAtTheEndOfTheLine() throws Exception {
		Path gateway = this.folder.resolve("gateway.yml");
		Files.writeString(gateway, """
				# the routes
				strangler:
				  routes:
				    inventory:
				      mode: monolith # where it starts
				      canary-percent: 0
				""");
		new RouteFile(gateway).change("inventory", Mode.SERVICE, null, null);
		assertThat(Files.readString(gateway)).isEqualTo("""
				# the routes
				strangler:
				  routes:
				    inventory:
				      mode: service # where it starts
				      canary-percent: 0
				""");
	}

	@Test
	void addsAPercentToARouteThatHadNone() throws Exception {
		RouteFile file = copy();
		file.change("notifications", Mode.CANARY, 10, null);
		String text = Files.readString(file.file());
		String notifications = text.substring(text.indexOf("    notifications:"));
		assertThat(notifications).contains("      mode: canary\n").contains("      canary-percent: 10");
		file.change("notifications", Mode.SERVICE, null, null);
		assertThat(Files.readString(file.file()).substring(text.indexOf("    notifications:")))
			.contains("      mode: service\n")
			.contains("      canary-percent: 10");
	}

	@Test
	void refusesBadInputAndLeavesTheFileAlone() throws Exception {
		RouteFile file = copy();
		String before = Files.readString(file.file());
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> file.change("inventory", Mode.parse("sideways"), null, null))
			.withMessage("unknown mode 'sideways': one of monolith, shadow, canary, service");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> file.change("inventory", Mode.CANARY, 101, null))
			.withMessage("the canary percent is between 0 and 100, not 101");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> file.change("inventory", Mode.CANARY, -1, null))
			.withMessage("the canary percent is between 0 and 100, not -1");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> file.change("inventory", Mode.CANARY, null, null))
			.withMessageContaining("canary needs a percent");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> file.change("paths", Mode.SERVICE, null, null))
			.withMessage(
					"no route 'paths' in config-repo/gateway.yml (routes: catalog, inventory, orders, payments, notifications)");
		assertThat(Files.readString(file.file())).isEqualTo(before);
		assertThat(Files.list(this.folder)).as("no temporary file left").containsExactly(file.file());
	}

}
