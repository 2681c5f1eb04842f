package dev.stranglerkit.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./kit scale}'s ports and refusals; InventoryCutoverLandscapeIT starts the
 * instances as the command does, and kills them.
 */
class ScaleTests {

	@Test
	void eachFurtherInstanceListensAHundredAboveTheOneBefore() {
		assertThat(List.of(1, 2, 3).stream().map((n) -> Scale.port(Landscape.MONOLITH, n))).containsExactly(8081, 8181,
				8281);
		assertThat(Scale.port(Landscape.GATEWAY, 2)).isEqualTo(8180);
		assertThat(Scale.port("inventory-service", 2)).isEqualTo(8182);
	}

	@Test
	void noTwoInstancesOfTheLandscapeShareAPort() {
		Set<Integer> ports = new HashSet<>(List.of(Landscape.PORTS.get(Landscape.CONFIG_SERVER),
				Landscape.PORTS.get(Landscape.DISCOVERY), Landscape.ZIPKIN_PORT));
		for (String app : Scale.SCALABLE) {
			for (int n = 1; n <= Scale.MAX; n++) {
				assertThat(ports.add(Scale.port(app, n))).as("%s's instance %d on %d", app, n, Scale.port(app, n))
					.isTrue();
			}
		}
	}

	@Test
	void theControlPlaneAnUnknownApplicationAndACountOutOfRangeAreRefusedWithTheReason() {
		assertThat(run("scale", "discovery", "2")).contains("discovery runs as one instance here");
		assertThat(run("scale", "config-server", "2")).contains("config-server runs as one instance here");
		assertThat(run("scale", "shop", "2"))
			.contains("unknown application 'shop' (one of monolith, inventory-service, notification-service, gateway)");
		assertThat(run("scale", "monolith", "6")).contains("6 instances of monolith: from 0 to 5 on one machine");
		assertThat(run("scale", "monolith", "-1")).contains("-1 instances of monolith");
	}

	/**
	 * Runs {@code ./kit}'s command line, which must fail with the kit's own message (exit
	 * status 1) before it starts anything; what it printed.
	 */
	private static String run(String... arguments) {
		StringWriter out = new StringWriter();
		CommandLine kit = Kit.commandLine();
		kit.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
		assertThat(kit.execute(arguments)).as(out::toString).isEqualTo(1);
		return out.toString();
	}

}
