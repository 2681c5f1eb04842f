package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.stranglerkit.control.AuditLog;
import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static dev.stranglerkit.launcher.InventoryCutoverLandscapeIT.ADMIN;
import static dev.stranglerkit.launcher.InventoryCutoverLandscapeIT.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./kit cutover inventory service} as a confirmed move, with the real processes
 * and orders streaming through the gateway (issue 20): refused while no inventory-service
 * runs, undone when the service misses the handoff (its process paused with SIGSTOP the
 * moment the handoff is written, as a stalled JVM or a lost bus message would leave it),
 * and standing once both sides confirm. Throughout, every order ends, each decided by
 * exactly one side, with one successful payment per confirmed order and stock conserved.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CutoverConfirmationLandscapeIT {

	static final List<String> FILES = List.of("application.yml", "gateway.yml");

	static final Pattern HANDOFF = Pattern.compile("for events from (\\S+) ");

	static TestLandscape landscape;

	@BeforeAll
	static void startTheLandscapeWithoutTheService() {
		landscape = new TestLandscape();
		landscape
			.up(List.of(List.of(landscape.app(Landscape.CONFIG_SERVER)), List.of(landscape.app(Landscape.DISCOVERY)),
					List.of(landscape.app(Landscape.MONOLITH), landscape.app(Landscape.GATEWAY))));
	}

	@Test
	@Order(1)
	void aCutoverTowardsAServiceThatIsNotRunningIsRefusedAndTheMonolithGoesOnDeciding() throws Exception {
		InventoryCutoverLandscapeIT.setInitialStock();
		Map<String, String> before = files();
		InventoryCutoverLandscapeIT.Load load = new InventoryCutoverLandscapeIT.Load();
		load.startOrders();

		assertThatExceptionOfType(LaunchException.class)
			.isThrownBy(() -> new Cutover(configRepo()).move("inventory", "service"))
			.withMessageContaining("inventory-service has no healthy instance")
			.withMessageContaining("nothing changed");
		assertThat(files()).as("no handoff, the route unchanged").isEqualTo(before);
		assertThat(configRepo().resolve("audit.log")).doesNotExist();

		await().atMost(Duration.ofSeconds(20)).until(() -> load.placed.size() >= 10);
		load.stop();
		Map<String, JsonNode> orders = load.awaitTerminal(Duration.ofSeconds(60));
		assertThat(InventoryCutoverLandscapeIT.decidedByMonolith()).containsAll(orders.keySet());
		InventoryCutoverLandscapeIT.assertPaymentsAndNotifications(orders);
	}

	@Test
	@Order(2)
	void aCutoverTheServiceMissesIsUndoneAndEveryOrderIsDecidedOnceByTheMonolith() throws Exception {
		landscape.up(List.of(List.of(landscape.app("inventory-service"))));
		InventoryCutoverLandscapeIT.setInitialStock();
		Map<String, String> before = files();
		ProcessHandle service = landscape.launcher.running("inventory-service").orElseThrow();
		List<String> lines = new CopyOnWriteArrayList<>();
		Consumer<String> pauseTheServiceOnceWritten = (line) -> {
			lines.add(line);
			System.out.println("[cutover] " + line);
			if (line.startsWith("config-repo: inventory owned by the service")) {
				signal(service, "STOP");
			}
		};
		InventoryCutoverLandscapeIT.Load load = new InventoryCutoverLandscapeIT.Load();
		load.startOrders();
		try {
			assertThatExceptionOfType(LaunchException.class)
				.isThrownBy(() -> new Cutover(configRepo(), pauseTheServiceOnceWritten).move("inventory", "service"))
				.withMessageContaining("inventory-service did not confirm the handoff")
				.withMessageContaining("the monolith still owns inventory");
		}
		finally {
			signal(service, "CONT");
		}
		Instant handoff = handoff(lines);
		assertThat(Instant.now()).as("undone before the handoff's instant").isBefore(handoff);
		assertThat(lines).anyMatch((line) -> line.startsWith("monolith confirmed the handoff in"))
			.anyMatch((line) -> line.startsWith("monolith dropped the handoff in"))
			.noneMatch((line) -> line.startsWith("inventory-service confirmed"));
		assertThat(files()).as("the handoff gone from both files, the route back").isEqualTo(before);
		assertThat(new ConfigRepo(configRepo()).audit().last(2))
			.extracting(AuditLog.Entry::via, AuditLog.Entry::route, AuditLog.Entry::mode)
			.containsExactly(tuple(dev.stranglerkit.control.Cutover.UNDO, "inventory", Mode.MONOLITH),
					tuple("cli", "inventory", Mode.SERVICE));
		new Routes().awaitApplied(gateway, ADMIN, "inventory", Mode.MONOLITH, null, Duration.ofSeconds(10));

		// orders go on past the instant the handoff had: the monolith decides them all
		int placedBeforeTheInstant = awaitPastTheHandoff(load, handoff);
		load.stop();
		assertThat(load.placed.size()).isGreaterThan(placedBeforeTheInstant);
		Map<String, JsonNode> orders = load.awaitTerminal(Duration.ofSeconds(60));
		assertThat(InventoryCutoverLandscapeIT.decidedByService()).as("decided by the service, which never owned it")
			.isEmpty();
		assertThat(InventoryCutoverLandscapeIT.decidedByMonolith()).containsAll(orders.keySet());
		InventoryCutoverLandscapeIT.assertPaymentsAndNotifications(orders);
		InventoryCutoverLandscapeIT.assertStockConserved(orders);
	}

	@Test
	@Order(3)
	void aCutoverBothSidesConfirmStandsAndTheServiceDecidesFromItsInstant() throws Exception {
		InventoryCutoverLandscapeIT.setInitialStock();
		List<String> lines = new CopyOnWriteArrayList<>();
		InventoryCutoverLandscapeIT.Load load = new InventoryCutoverLandscapeIT.Load();
		load.startOrders();

		Instant handoff = new Cutover(configRepo(), lines::add).move("inventory", "service");

		assertThat(lines).anyMatch((line) -> line.matches("monolith confirmed the handoff in \\d+\\.\\d s"))
			.anyMatch((line) -> line.matches("inventory-service confirmed the handoff in \\d+\\.\\d s"));
		System.out.println("[cutover] " + String.join("\n[cutover] ", lines));
		new Routes().awaitApplied(gateway, ADMIN, "inventory", Mode.SERVICE, null, Duration.ofSeconds(10));
		int placedBeforeTheInstant = awaitPastTheHandoff(load, handoff);
		load.stop();
		assertThat(load.placed.size()).isGreaterThan(placedBeforeTheInstant);
		Map<String, JsonNode> orders = load.awaitTerminal(Duration.ofSeconds(60));
		Set<String> byMonolith = InventoryCutoverLandscapeIT.decidedByMonolith();
		Set<String> byService = InventoryCutoverLandscapeIT.decidedByService();
		assertThat(byService).as("the service decides from the handoff on").isNotEmpty();
		assertThat(byMonolith).doesNotContainAnyElementsOf(byService);
		Set<String> decided = new HashSet<>(byMonolith);
		decided.addAll(byService);
		assertThat(decided).containsAll(orders.keySet());
		InventoryCutoverLandscapeIT.assertPaymentsAndNotifications(orders);
		InventoryCutoverLandscapeIT.assertStockConserved(orders);
	}

	/** a test that failed half-way leaves no load running into the next */
	@AfterEach
	void stopTheLoad() throws InterruptedException {
		InventoryCutoverLandscapeIT.Load.stopAll();
	}

	@AfterAll
	static void stopTheLandscape() {
		if (landscape != null) {
			landscape.down();
		}
	}

	/**
	 * Lets the orders run on until the handoff's instant and the new owner's settling
	 * time have passed, and a few orders more were placed.
	 * @return how many orders had been placed at the instant
	 */
	private static int awaitPastTheHandoff(InventoryCutoverLandscapeIT.Load load, Instant handoff) {
		await().atMost(Duration.between(Instant.now(), handoff).plusSeconds(5))
			.until(() -> !Instant.now().isBefore(handoff));
		int atTheInstant = load.placed.size();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !Instant.now().isBefore(handoff.plusSeconds(3)) && load.placed.size() >= atTheInstant + 10);
		return atTheInstant;
	}

	private static Instant handoff(List<String> lines) {
		for (String line : lines) {
			Matcher handoff = HANDOFF.matcher(line);
			if (handoff.find()) {
				return Instant.parse(handoff.group(1));
			}
		}
		throw new AssertionError("no handoff written: " + lines);
	}

	/** {@code kill -<signal> <pid>}: STOP pauses the process, CONT resumes it. */
	private static void signal(ProcessHandle process, String signal) {
		try {
			int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO()
				.start()
				.waitFor();
			assertThat(exit).as("kill -" + signal + " " + process.pid()).isZero();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path configRepo() {
		return landscape.landscape.configRepo();
	}

	private static Map<String, String> files() throws IOException {
		Map<String, String> contents = new TreeMap<>();
		for (String file : FILES) {
			contents.put(file, Files.readString(configRepo().resolve(file)));
		}
		return contents;
	}

}
