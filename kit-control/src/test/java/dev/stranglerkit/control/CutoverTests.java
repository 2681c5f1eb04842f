package dev.stranglerkit.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link Cutover} against stand-ins: a small HTTP server in Eureka's place, and one per
 * side answering health and {@code /actuator/ownership} as the real applications do. The
 * landscape tests ({@code CutoverConfirmationLandscapeIT}) do the same with the real
 * processes.
 */
class CutoverTests {

	static final List<String> FILES = List.of("application.yml", "gateway.yml");

	@TempDir
	Path configRepo;

	final List<HttpServer> servers = new ArrayList<>();

	final List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();

	@BeforeEach
	void aCopyOfConfigRepo() throws IOException {
		for (String file : FILES) {
			Files.copy(Path.of("../config-repo", file), this.configRepo.resolve(file));
		}
	}

	@AfterEach
	void stopTheStandIns() {
		this.servers.forEach((server) -> server.stop(0));
	}

	@Test
	void refusesACutoverTowardsAServiceThatEurekaListsNoInstanceOfUp() throws IOException {
		Map<String, String> before = files();
		URI eureka = standIn(Map.of("/eureka/apps/INVENTORY-SERVICE", () -> null));

		assertThatExceptionOfType(CutoverException.class)
			.isThrownBy(() -> cutover(eureka, URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1"))
				.move("inventory", Owner.SERVICE))
			.withMessageContaining("inventory-service has no healthy instance (Eureka lists no instance of it UP)")
			.withMessageContaining("nothing changed")
			.matches((refused) -> !refused.undone());
		assertThat(files()).isEqualTo(before);
		assertThat(this.configRepo.resolve("audit.log")).doesNotExist();
	}

	@Test
	void refusesACutoverTowardsAServiceWhoseRegisteredInstanceIsNotHealthy() throws IOException {
		Map<String, String> before = files();
		URI service = standIn(Map.of("/actuator/health", () -> "{\"status\":\"DOWN\"}"));
		URI eureka = eureka(service, service);

		assertThatExceptionOfType(CutoverException.class)
			.isThrownBy(() -> cutover(eureka, service, service).move("inventory", Owner.SERVICE))
			.withMessageContaining("none answers health UP");
		assertThat(files()).isEqualTo(before);
	}

	@Test
	void aMoveBothSidesConfirmStandsAndEachSideIsReported() {
		URI monolith = application("application.yml");
		URI service = application("application.yml");

		java.time.Instant handoff = cutover(eureka(monolith, service), monolith, service).move("inventory",
				Owner.SERVICE);

		assertThat(new ConfigRepo(this.configRepo).handoffs().owner("inventory")).isEqualTo(Owner.SERVICE);
		assertThat(this.configRepo.resolve("application.yml")).content().containsOnlyOnce("- " + handoff + "=service");
		assertThat(this.out).anyMatch((line) -> line.matches("monolith confirmed the handoff in \\d+\\.\\d s"))
			.anyMatch((line) -> line.matches("inventory-service confirmed the handoff in \\d+\\.\\d s"));
	}

	@Test
	void aMoveOneSideDoesNotConfirmInTimeIsUndoneEverywhere() throws IOException {
		Map<String, String> before = files();
		URI monolith = application("application.yml");
		// the service misses the bus refresh: it goes on with the file as it was
		String missed = ownership(this.configRepo.resolve("application.yml"));
		URI service = standIn(
				Map.of("/actuator/health", () -> "{\"status\":\"UP\"}", "/actuator/ownership", () -> missed));

		assertThatExceptionOfType(CutoverException.class)
			.isThrownBy(() -> cutover(eureka(monolith, service), monolith, service).move("inventory", Owner.SERVICE))
			.withMessageStartingWith("cutover of inventory to the service undone: inventory-service did not confirm")
			.withMessageContaining(service + " does not list it yet")
			.withMessageContaining("the monolith still owns inventory")
			.matches(CutoverException::undone);

		// the files as they were (the audit log aside), the route back
		Map<String, String> after = files();
		assertThat(after).isEqualTo(before);
		assertThat(new ConfigRepo(this.configRepo).audit().last(5))
			.extracting(AuditLog.Entry::via, AuditLog.Entry::route, AuditLog.Entry::mode)
			.containsExactly(tuple(Cutover.UNDO, "inventory", Mode.MONOLITH), tuple("cli", "inventory", Mode.SERVICE));
		assertThat(this.out).anyMatch((line) -> line.startsWith("monolith confirmed the handoff in"))
			.anyMatch((line) -> line.startsWith("monolith dropped the handoff in"))
			.noneMatch((line) -> line.startsWith("inventory-service confirmed"));
	}

	@Test
	void refusesAnUnknownModuleOrOwnerAndChangesNothing() throws IOException {
		Map<String, String> before = files();
		URI monolith = application("application.yml");
		Cutover cutover = cutover(eureka(monolith, monolith), monolith, monolith);

		assertThatExceptionOfType(RouteChangeException.class).isThrownBy(() -> cutover.move("orders", Owner.SERVICE))
			.withMessage("no extracted service for module 'orders' (modules: inventory, notifications)");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> cutover.move("inventory", Cutover.target("services")))
			.withMessage("a cutover moves a module to 'service' or back to 'monolith', not 'services'");
		assertThat(files()).isEqualTo(before);
		assertThat(this.configRepo.resolve("audit.log")).doesNotExist();
	}

	private Cutover cutover(URI eureka, URI monolith, URI service) {
		return new Cutover(new ConfigRepo(this.configRepo), new Instances(eureka, "eureka:eureka-secret",
				"admin:admin-secret", Map.of("monolith", monolith, "inventory-service", service)), "kit", "cli",
				this.out::add);
	}

	/** A stand-in Eureka that lists one instance UP of each side. */
	private URI eureka(URI monolith, URI service) {
		return standIn(Map.of("/eureka/apps/MONOLITH", () -> registered(monolith), "/eureka/apps/INVENTORY-SERVICE",
				() -> registered(service)));
	}

	private static String registered(URI instance) {
		return """
				{"application": {"instance": [{"ipAddr": "%s", "status": "UP", "port": {"$": %d, "@enabled": "true"}}]}}"""
			.formatted(instance.getHost(), instance.getPort());
	}

	/**
	 * A stand-in application, healthy, that applies its file of config-repo at once (as a
	 * bus refresh would).
	 */
	private URI application(String file) {
		return standIn(Map.of("/actuator/health", () -> "{\"status\":\"UP\"}", "/actuator/ownership",
				() -> ownership(this.configRepo.resolve(file))));
	}

	/** {@code /actuator/ownership} of an application that applies this file */
	private static String ownership(Path file) {
		try {
			Map<String, Object> yaml = new Yaml().load(Files.readString(file));
			Object ownership = ((Map<?, ?>) yaml.get("kit")).get("ownership");
			return JsonMapper.builder().build().writeValueAsString(ownership);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param answers path -> the JSON body it answers (200), or null for a 404
	 */
	private URI standIn(Map<String, Supplier<String>> answers) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			answers.forEach((path, answer) -> server.createContext(path, (exchange) -> {
				String body = answer.get();
				byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders((body != null) ? 200 : 404, (bytes.length > 0) ? bytes.length : -1);
				exchange.getResponseBody().write(bytes);
				exchange.close();
			}));
			server.start();
			this.servers.add(server);
			return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Map<String, String> files() throws IOException {
		Map<String, String> contents = new java.util.TreeMap<>();
		for (String file : FILES) {
			contents.put(file, Files.readString(this.configRepo.resolve(file)));
		}
		return contents;
	}

}
