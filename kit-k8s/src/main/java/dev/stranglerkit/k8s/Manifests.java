package dev.stranglerkit.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests of {@code deploy/k8s/}, rendered with kustomize from the route
 * state of a config repository: one desired state, two data planes. A render works on a
 * copy ({@code deploy/k8s/} and the config repository side by side, as in the kit's
 * folder): the {@code istio} overlay's {@code strangler-routes.yaml} is written there
 * from the repository's {@code gateway.yml} ({@link IstioRoutes}), then {@code kubectl
 * kustomize} renders the overlay, with the repository's files in the config server's
 * ConfigMap (they lie outside {@code deploy/k8s/}, hence {@code --load-restrictor
 * LoadRestrictionsNone}). The committed {@code strangler-routes.yaml} is the committed
 * route state's ({@code ManifestsTests}), so that {@code deploy/k8s} renders as it is.
 */
public final class Manifests {

	/** the overlays of {@code deploy/k8s/overlays} */
	public static final List<String> OVERLAYS = List.of("spring-cloud", "istio");

	/** the istio overlay's routes, below {@code deploy/k8s} */
	public static final String ISTIO_ROUTES = "overlays/istio/strangler-routes.yaml";

	private static final String HEADER = """
			# Written by kit-k8s (IstioRoutes) from config-repo/gateway.yml: the strangler routes as the
			# mesh's proxies apply them. Do not edit: switch a route with ./kit route, then
			# ./kit k8s render istio renders them with the rest (.kit/k8s/istio.yaml).
			""";

	private final Path deploy;

	private final Path configRepo;

	/**
	 * @param deploy the manifests' folder ({@code deploy/k8s})
	 * @param configRepo the config repository whose route state to render
	 */
	public Manifests(Path deploy, Path configRepo) {
		this.deploy = deploy;
		this.configRepo = configRepo;
	}

	/**
	 * @return the Istio resources of the routes as {@code config-repo/gateway.yml} has
	 * them now, as YAML documents
	 */
	public String istioRoutes() {
		List<Map<String, Object>> resources = IstioRoutes
			.resources(GatewayRoutes.read(this.configRepo.resolve("gateway.yml")));
		return HEADER + yaml().dumpAll(resources.iterator());
	}

	/**
	 * @return the VirtualService's routes of one strangler route (its reads and its
	 * writes), as YAML
	 */
	public String istioRoutes(String route) {
		Map<String, Object> virtualService = IstioRoutes
			.resources(GatewayRoutes.read(this.configRepo.resolve("gateway.yml")))
			.get(0);
		Object http = ((Map<?, ?>) virtualService.get("spec")).get("http");
		List<?> routes = ((List<?>) http).stream()
			.filter((entry) -> List.of(route + "-reads", route + "-writes").contains(((Map<?, ?>) entry).get("name")))
			.toList();
		return yaml().dump(routes);
	}

	private static Yaml yaml() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndicatorIndent(2);
		options.setIndentWithIndicator(true);
		return new Yaml(options);
	}

	/**
	 * Renders an overlay ({@code kubectl kustomize}) in a copy made in a folder of work,
	 * its routes written first.
	 * @return the manifests, YAML documents
	 */
	public String render(String overlay, Path work) {
		if (!OVERLAYS.contains(overlay)) {
			throw new K8sException("no overlay '" + overlay + "': one of " + String.join(", ", OVERLAYS));
		}
		Path deployCopy = work.resolve("deploy/k8s");
		try {
			delete(work);
			copy(this.deploy, deployCopy);
			copy(this.configRepo, work.resolve("config-repo"));
			Files.writeString(deployCopy.resolve(ISTIO_ROUTES), istioRoutes());
		}
		catch (IOException ex) {
			throw new K8sException("cannot prepare " + work + ": " + ex.getMessage());
		}
		return kustomize(deployCopy.resolve("overlays").resolve(overlay));
	}

	private static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : files.toList()) {
				Path target = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
		}
	}

	private static void delete(Path folder) throws IOException {
		if (!Files.exists(folder)) {
			return;
		}
		try (Stream<Path> files = Files.walk(folder)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

	private static String kustomize(Path folder) {
		List<String> command = List.of("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
				folder.toString());
		Path errors;
		Process kubectl;
		try {
			// its errors to a file, so that neither stream fills while the other is read
			errors = Files.createTempFile("kubectl-kustomize", ".err");
			kubectl = new ProcessBuilder(command).redirectError(errors.toFile()).start();
		}
		catch (IOException ex) {
			throw new K8sException("kubectl is needed to render the manifests (its kustomize, 5.0 or later: kubectl "
					+ "1.27+; https://kubernetes.io/docs/tasks/tools/): " + ex.getMessage());
		}
		try {
			kubectl.getOutputStream().close();
			byte[] out = kubectl.getInputStream().readAllBytes();
			if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
				throw new K8sException(String.join(" ", command) + " failed: " + Files.readString(errors).strip());
			}
			return new String(out, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new K8sException("kubectl kustomize: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new K8sException("interrupted while kubectl kustomize ran");
		}
		finally {
			kubectl.destroy();
			try {
				Files.deleteIfExists(errors);
			}
			catch (IOException ex) {
				// a temporary file left behind
			}
		}
	}

}
