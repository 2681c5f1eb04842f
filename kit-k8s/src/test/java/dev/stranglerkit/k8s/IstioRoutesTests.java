package dev.stranglerkit.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The strangler routes as Istio resources, mode by mode: config-repo's gateway.yml
 * switched as {@code ./kit route} and {@code ./kit cutover} switch it (kit-control), then
 * rendered.
 */
class IstioRoutesTests {

	@TempDir
	Path repo;

	ConfigRepo configRepo;

	@BeforeEach
	void copyConfigRepo() throws IOException {
		Files.copy(Path.of("../config-repo/gateway.yml"), this.repo.resolve("gateway.yml"));
		this.configRepo = new ConfigRepo(this.repo);
	}

	@Test
	void inMonolithModeReadsAndWritesGoToTheMonolithAndOnlyReadsAreRetried() {
		assertThat(targets(http("inventory-reads"))).containsExactly(Map.entry("monolith", -1));
		assertThat(targets(http("inventory-writes"))).containsExactly(Map.entry("monolith", -1));
		assertThat(http("inventory-reads")).doesNotContainKey("mirror")
			.containsEntry("retries",
					Map.of("attempts", 2, "perTryTimeout", "5s", "retryOn", "connect-failure,refused-stream,reset,5xx"))
			.containsEntry("timeout", "10s");
		assertThat(http("inventory-writes")).containsEntry("retries", Map.of("attempts", 0))
			.containsEntry("timeout", "5s");
	}

	@Test
	void inShadowModeReadsAreMirroredToTheServiceAndWritesGoToTheOwner() {
		switchRoute("inventory", Mode.SHADOW, null, null);
		assertThat(targets(http("inventory-reads"))).containsExactly(Map.entry("monolith", -1));
		assertThat(http("inventory-reads")).containsEntry("mirror", Map.of("host", "inventory-service"))
			.containsEntry("mirrorPercentage", Map.of("value", 100.0));
		assertThat(targets(http("inventory-writes"))).containsExactly(Map.entry("monolith", -1));
		assertThat(http("inventory-writes")).doesNotContainKey("mirror");
	}

	@Test
	void inCanaryModeReadsAreWeightedAndWritesFollowTheOwner() {
		switchRoute("inventory", Mode.CANARY, 30, null);
		assertThat(targets(http("inventory-reads"))).containsExactly(Map.entry("monolith", 70),
				Map.entry("inventory-service", 30));
		assertThat(targets(http("inventory-writes"))).containsExactly(Map.entry("monolith", -1));

		switchRoute("inventory", Mode.CANARY, 80, Owner.SERVICE);
		assertThat(targets(http("inventory-reads"))).containsExactly(Map.entry("monolith", 20),
				Map.entry("inventory-service", 80));
		assertThat(targets(http("inventory-writes"))).containsExactly(Map.entry("inventory-service", -1));
	}

	@Test
	void inServiceModeEverythingGoesToTheService() {
		switchRoute("notifications", Mode.SERVICE, null, Owner.SERVICE);
		assertThat(targets(http("notifications-reads"))).containsExactly(Map.entry("notification-service", -1));
		assertThat(targets(http("notifications-writes"))).containsExactly(Map.entry("notification-service", -1));
		assertThat(targets(http("inventory-reads"))).as("the other routes stay")
			.containsExactly(Map.entry("monolith", -1));
	}

	@Test
	void everyRouteMatchesItsPathsAndNothingElseAndReadsOnlyGetAndHead() {
		Map<String, Object> reads = http("inventory-reads");
		Pattern path = Pattern.compile(regex(match(reads).get(0), "uri"));
		assertThat(path.matcher("/api/inventory").matches()).isTrue();
		assertThat(path.matcher("/api/inventory/stock/42").matches()).isTrue();
		assertThat(path.matcher("/api/inventoryx").matches()).isFalse();
		assertThat(path.matcher("/api/orders").matches()).isFalse();
		Pattern method = Pattern.compile(regex(match(reads).get(0), "method"));
		assertThat(List.of("GET", "HEAD")).allMatch((m) -> method.matcher(m).matches());
		assertThat(List.of("POST", "PUT", "DELETE", "PATCH", "GETX")).noneMatch((m) -> method.matcher(m).matches());
		assertThat(match(http("inventory-writes")).get(0)).doesNotContainKey("method");

		assertThat(IstioRoutes.uri("/swagger-ui.html")).isEqualTo(Map.of("uri", Map.of("exact", "/swagger-ui.html")));
		assertThat(IstioRoutes.uri("/v3/api-docs/monolith/**"))
			.isEqualTo(Map.of("uri", Map.of("regex", "/v3/api-docs/monolith(/.*)?")));
		assertThat(http("api-docs-monolith")).containsEntry("retries", http("inventory-reads").get("retries"));
	}

	@Test
	void eachTargetHasADestinationRuleWithTheKitsEjectionAndTheCanaryKey() {
		List<Map<String, Object>> resources = resources();
		assertThat(resources).extracting((resource) -> resource.get("kind"))
			.containsExactly("VirtualService", "DestinationRule", "DestinationRule", "DestinationRule");
		assertThat(resources.subList(1, 4)).extracting((rule) -> spec(rule).get("host"))
			.containsExactly("monolith", "inventory-service", "notification-service");
		Map<String, Object> policy = map(spec(resources.get(2)).get("trafficPolicy"));
		assertThat(policy.get("loadBalancer"))
			.isEqualTo(Map.of("consistentHash", Map.of("httpHeaderName", "X-Canary-Key")));
		assertThat(map(policy.get("outlierDetection"))).as("ejected for a failed connection, never for an answer")
			.containsEntry("splitExternalLocalOriginErrors", true)
			.containsEntry("consecutiveLocalOriginFailures", 1)
			.containsEntry("consecutive5xxErrors", 0)
			.containsEntry("baseEjectionTime", "20s");
		assertThat(policy.get("tls")).isEqualTo(Map.of("mode", "ISTIO_MUTUAL"));
	}

	@Test
	void aRouteWithoutAServiceCannotLeaveTheMonolith() throws IOException {
		Path gateway = this.repo.resolve("gateway.yml");
		Files.writeString(gateway,
				Files.readString(gateway)
					.replace("      paths: [/api/catalog/**]\n      monolith: lb://monolith\n      mode: monolith",
							"      paths: [/api/catalog/**]\n      monolith: lb://monolith\n      mode: shadow"));
		assertThatExceptionOfType(K8sException.class).isThrownBy(this::resources)
			.withMessage("route catalog is in shadow mode but names no service");
	}

	private void switchRoute(String route, Mode mode, Integer percent, Owner owner) {
		this.configRepo.switchRoute(route, mode, percent, owner, "test", "test");
	}

	private List<Map<String, Object>> resources() {
		return IstioRoutes.resources(GatewayRoutes.read(this.repo.resolve("gateway.yml")));
	}

	private Map<String, Object> http(String name) {
		List<Object> http = list(spec(resources().get(0)).get("http"));
		return http.stream()
			.map(IstioRoutesTests::map)
			.filter((route) -> name.equals(route.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no http route " + name));
	}

	/**
	 * @return each destination's host and weight (-1: none)
	 */
	private static List<Map.Entry<String, Integer>> targets(Map<String, Object> http) {
		return list(http.get("route")).stream().map(IstioRoutesTests::map).map((target) -> {
			Object weight = target.get("weight");
			return Map.entry((String) map(target.get("destination")).get("host"),
					(weight != null) ? (Integer) weight : -1);
		}).toList();
	}

	private static List<Map<String, Object>> match(Map<String, Object> http) {
		return list(http.get("match")).stream().map(IstioRoutesTests::map).toList();
	}

	private static String regex(Map<String, Object> match, String field) {
		return (String) map(match.get(field)).get("regex");
	}

	private static Map<String, Object> spec(Map<String, Object> resource) {
		return map(resource.get("spec"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return (List<Object>) value;
	}

}
