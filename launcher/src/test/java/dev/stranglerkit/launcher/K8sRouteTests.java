package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./kit route --k8s}: a route switched in config-repo, as always, and the istio
 * overlay rendered from it; the VirtualService follows the switch (target, mirror,
 * weights), in a copy of the kit's folder.
 */
class K8sRouteTests {

	@TempDir
	Path home;

	private String homeBefore;

	@BeforeEach
	void copyTheKit() throws IOException {
		FileSystemUtils.copyRecursively(Path.of("../deploy/k8s"), this.home.resolve("deploy/k8s"));
		FileSystemUtils.copyRecursively(Path.of("../config-repo"), this.home.resolve("config-repo"));
		// (a local run's switches, not the repository's)
		Files.deleteIfExists(this.home.resolve("config-repo/audit.log"));
		this.homeBefore = System.setProperty("kit.home", this.home.toString());
	}

	@AfterEach
	void restoreHome() {
		if (this.homeBefore != null) {
			System.setProperty("kit.home", this.homeBefore);
		}
		else {
			System.clearProperty("kit.home");
		}
	}

	@Test
	void theRenderedVirtualServiceFollowsEachSwitch() throws IOException {
		String out = kit("route", "inventory", "shadow", "--k8s");
		assertThat(out).contains("config-repo/gateway.yml: inventory -> shadow", "name: inventory-reads",
				"apply: kubectl apply -f .kit/k8s/istio.yaml");
		assertThat(http("inventory-reads")).containsEntry("mirror", Map.of("host", "inventory-service"));
		assertThat(targets("inventory-reads")).containsExactly(List.of("monolith", -1));

		kit("route", "inventory", "canary", "30", "--k8s");
		assertThat(http("inventory-reads")).doesNotContainKey("mirror");
		assertThat(targets("inventory-reads")).containsExactly(List.of("monolith", 70),
				List.of("inventory-service", 30));
		assertThat(targets("inventory-writes")).containsExactly(List.of("monolith", -1));

		kit("route", "inventory", "monolith", "--k8s");
		assertThat(targets("inventory-reads")).containsExactly(List.of("monolith", -1));
		assertThat(Files.readString(this.home.resolve("config-repo/audit.log")).lines()).hasSize(3);
	}

	@Test
	void aSwitchRefusedChangesNothingAndRendersNothing() {
		StringWriter out = new StringWriter();
		int exit = Kit.commandLine()
			.setOut(new PrintWriter(out, true))
			.setErr(new PrintWriter(out, true))
			.execute("route", "inventory", "canary", "--k8s");
		assertThat(exit).isEqualTo(1);
		assertThat(out.toString()).contains("canary needs a percent");
		assertThat(this.home.resolve(".kit/k8s/istio.yaml")).doesNotExist();
	}

	private String kit(String... arguments) {
		java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
		java.io.PrintStream before = System.out;
		System.setOut(new java.io.PrintStream(printed, true));
		int exit;
		try {
			exit = Kit.commandLine().execute(arguments);
		}
		finally {
			System.setOut(before);
		}
		assertThat(exit).as(printed.toString()).isZero();
		return printed.toString();
	}

	private Map<String, Object> http(String name) throws IOException {
		for (Object document : new Yaml().loadAll(Files.readString(this.home.resolve(".kit/k8s/istio.yaml")))) {
			Map<String, Object> object = map(document);
			if ("VirtualService".equals(object.get("kind"))) {
				for (Object route : (List<?>) map(object.get("spec")).get("http")) {
					if (name.equals(map(route).get("name"))) {
						return map(route);
					}
				}
			}
		}
		throw new AssertionError("no route " + name + " in the rendered VirtualService");
	}

	/**
	 * @return each destination as [host, weight] (-1: no weight)
	 */
	private List<List<Object>> targets(String name) throws IOException {
		List<List<Object>> targets = new ArrayList<>();
		for (Object target : (List<?>) http(name).get("route")) {
			Object weight = map(target).get("weight");
			targets.add(List.of(map(map(target).get("destination")).get("host"), (weight != null) ? weight : -1));
		}
		return targets;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
