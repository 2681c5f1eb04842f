package dev.stranglerkit.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * deploy/k8s rendered as {@code ./kit k8s render} renders it ({@code kubectl kustomize}),
 * every object read strictly into fabric8's Kubernetes and Istio models: a field the
 * model does not know, or a kind it does not know, fails.
 */
class ManifestsTests {

	/** fabric8's models without their catch-all for unknown fields */
	static final KubernetesSerialization STRICT = new KubernetesSerialization(strictMapper(), true);

	static final Path DEPLOY = Path.of("../deploy/k8s");

	static final Path CONFIG_REPO = Path.of("../config-repo");

	@TempDir
	Path work;

	@Test
	void theCommittedIstioRoutesAreTheRouteStateOfConfigRepo() throws IOException {
		Path committed = DEPLOY.resolve(Manifests.ISTIO_ROUTES);
		String routes = new Manifests(DEPLOY, CONFIG_REPO).istioRoutes();
		if (Boolean.getBoolean("kit.k8s.write")) {
			Files.writeString(committed, routes);
		}
		assertThat(Files.readString(committed))
			.as("deploy/k8s/%s is config-repo/gateway.yml's route state (mvn -pl kit-k8s test -Dtest=ManifestsTests "
					+ "-Dkit.k8s.write=true writes it)", Manifests.ISTIO_ROUTES)
			.isEqualTo(routes);
	}

	@Test
	void theSpringCloudOverlayIsTheKitsLandscapeWithTwoReplicas() throws IOException {
		List<HasMetadata> objects = render("spring-cloud");
		assertThat(kinds(objects)).containsExactlyEntriesOf(new TreeMap<>(
				Map.of("ConfigMap", 4, "Deployment", 6, "PodDisruptionBudget", 6, "Service", 8, "ServiceAccount", 6)));
		assertThat(replicas(objects)).containsExactlyInAnyOrderEntriesOf(Map.of("config-server", 1, "discovery", 1,
				"gateway", 2, "monolith", 2, "inventory-service", 2, "notification-service", 2));
		assertThat(configMap(objects, "kit-env")).containsEntry("EUREKA_CLIENT_ENABLED", "true")
			.containsEntry("KIT_BIND_ADDRESS", "0.0.0.0");
		assertThat(configMap(objects, "config-repo")).containsKeys("application.yml", "gateway.yml", "monolith.yml",
				"inventory-service.yml", "notification-service.yml", "discovery.yml");
	}

	@Test
	void theIstioOverlayHasNoEurekaNorGatewayAndTheRoutesAsIstioResources() throws IOException {
		List<HasMetadata> objects = render("istio");
		assertThat(kinds(objects))
			.containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(Map.entry("AuthorizationPolicy", 2),
					Map.entry("ConfigMap", 4), Map.entry("Deployment", 4), Map.entry("DestinationRule", 3),
					Map.entry("Gateway", 1), Map.entry("Namespace", 1), Map.entry("PeerAuthentication", 1),
					Map.entry("PodDisruptionBudget", 4), Map.entry("Service", 6), Map.entry("ServiceAccount", 4),
					Map.entry("VirtualService", 1))));
		assertThat(replicas(objects)).doesNotContainKeys("discovery", "gateway");
		assertThat(configMap(objects, "kit-env")).containsEntry("EUREKA_CLIENT_ENABLED", "false");
		assertThat(objects).allMatch((object) -> object instanceof io.fabric8.kubernetes.api.model.Namespace
				|| "strangler-kit".equals(object.getMetadata().getNamespace()));
		VirtualService strangler = one(objects, VirtualService.class);
		assertThat(strangler.getSpec().getHttp()).extracting(HTTPRoute::getName)
			.startsWith("catalog-reads", "catalog-writes", "inventory-reads", "inventory-writes");
	}

	@Test
	void aMistakeInAManifestFailsTheStrictReading() {
		String deployment = """
				apiVersion: apps/v1
				kind: Deployment
				metadata:
				  name: monolith
				spec:
				  replicaz: 2
				""";
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> STRICT.unmarshal(deployment))
			.withStackTraceContaining("replicaz");
		String virtualService = """
				apiVersion: networking.istio.io/v1
				kind: VirtualService
				metadata:
				  name: strangler
				spec:
				  http:
				    - route:
				        - destination:
				            host: monolith
				          wieght: 30
				""";
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> STRICT.unmarshal(virtualService))
			.withStackTraceContaining("wieght");
		String unknownKind = """
				apiVersion: networking.istio.io/v1
				kind: VirtualServise
				metadata:
				  name: strangler
				spec: {}
				""";
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> STRICT.unmarshal(unknownKind));
		String unknownMatch = """
				apiVersion: networking.istio.io/v1
				kind: VirtualService
				metadata:
				  name: strangler
				spec:
				  http:
				    - match:
				        - uri:
				            prefx: /api
				""";
		assertThatExceptionOfType(Throwable.class).isThrownBy(() -> read(unknownMatch)).withMessageContaining("prefx");
		String unknownMode = """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata:
				  name: default
				spec:
				  mtls:
				    mode: STRIKT
				""";
		assertThatExceptionOfType(Throwable.class).isThrownBy(() -> read(unknownMode)).withMessageContaining("STRIKT");
	}

	/**
	 * Renders an overlay from a copy of deploy/k8s and config-repo, as ./kit k8s render
	 * does, and reads every object strictly.
	 */
	private List<HasMetadata> render(String overlay) throws IOException {
		String manifests = new Manifests(DEPLOY, CONFIG_REPO).render(overlay, this.work);
		List<HasMetadata> objects = Stream.of(manifests.split("(?m)^---$"))
			.filter((document) -> !document.isBlank())
			.map(ManifestsTests::read)
			.toList();
		assertThat(objects).noneMatch(GenericKubernetesResource.class::isInstance);
		return objects;
	}

	/**
	 * @return the object, read strictly; written back, it must be the document again, so
	 * that nothing was dropped on the way (a match's unknown kind of string match, say)
	 */
	private static HasMetadata read(String document) {
		HasMetadata object = (HasMetadata) STRICT.unmarshal(document);
		Map<String, Object> original = new Yaml().load(document);
		assertThat(new Yaml().<Map<String, Object>>load(STRICT.asYaml(object)))
			.as("%s %s read and written back", object.getKind(), object.getMetadata().getName())
			.isEqualTo(original);
		return object;
	}

	private static Map<String, Integer> kinds(List<HasMetadata> objects) {
		Map<String, Integer> kinds = new TreeMap<>();
		objects.forEach((object) -> kinds.merge(object.getKind(), 1, Integer::sum));
		return kinds;
	}

	private static Map<String, Integer> replicas(List<HasMetadata> objects) {
		Map<String, Integer> replicas = new TreeMap<>();
		objects.stream()
			.filter(io.fabric8.kubernetes.api.model.apps.Deployment.class::isInstance)
			.map(io.fabric8.kubernetes.api.model.apps.Deployment.class::cast)
			.forEach((deployment) -> replicas.put(deployment.getMetadata().getName(),
					deployment.getSpec().getReplicas()));
		return replicas;
	}

	/**
	 * @return the data of the ConfigMap of that name (a generated one: with its hash
	 * suffix)
	 */
	private static Map<String, String> configMap(List<HasMetadata> objects, String name) {
		return objects.stream()
			.filter(io.fabric8.kubernetes.api.model.ConfigMap.class::isInstance)
			.map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
			.filter((map) -> map.getMetadata().getName().matches(java.util.regex.Pattern.quote(name) + "(-[a-z0-9]+)?"))
			.findFirst()
			.orElseThrow()
			.getData();
	}

	private static <T> T one(List<HasMetadata> objects, Class<T> type) {
		List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
		assertThat(found).hasSize(1);
		return found.get(0);
	}

	private static ObjectMapper strictMapper() {
		ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {

			@Override
			public Boolean hasAnySetter(Annotated annotated) {
				if (annotated instanceof AnnotatedMember member
						&& member.getDeclaringClass().getName().startsWith("io.fabric8.")) {
					return Boolean.FALSE;
				}
				return super.hasAnySetter(annotated);
			}

		});
		return mapper;
	}

}
