package dev.stranglerkit.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests of {@code deploy/k8s/}, rendered with kustomize from the route
 * state of {@code config-repo/}: one desired state, two data planes. The {@code istio}
 * overlay's {@code strangler-routes.yaml} is written from {@code config-repo/gateway.yml}
 * first ({@link IstioRoutes}); then {@code kubectl kustomize} renders the overlay, with
 * config-repo's files in the config server's ConfigMap (they lie outside
 * {@code deploy/k8s/}, hence {@code --load-restrictor LoadRestrictionsNone}).
 */
public final class Manifests {

	/** the overlays of {@code deploy/k8s/overlays} */
	public static final List<String> OVERLAYS = List.of("spring-cloud", "istio");

	static final String ISTIO_ROUTES = "overlays/istio/strangler-routes.yaml";

	private static final String HEADER = """
			# Written by ./kit k8s render from config-repo/gateway.yml (kit-k8s: IstioRoutes): the
			# strangler routes as the mesh's proxies apply them. Do not edit: switch a route with
			# ./kit route, then render again.
			""";

	private final Path deploy;

	private final Path configRepo;

	/**
	 * @param home the kit's folder: {@code deploy/k8s/} and {@code config-repo/} below it
	 */
	public Manifests(Path home) {
		this.deploy = home.resolve("deploy/k8s");
		this.configRepo = home.resolve("config-repo");
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
			.filter((entry) -> String.valueOf(((Map<?, ?>) entry).get("name")).startsWith(route + "-"))
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
	 * Writes the {@code istio} overlay's routes from the current route state.
	 * @return the file
	 */
	public Path writeIstioRoutes() {
		Path file = this.deploy.resolve(ISTIO_ROUTES);
		try {
			Files.writeString(file, istioRoutes());
		}
		catch (IOException ex) {
			throw new K8sException("cannot write " + file + ": " + ex.getMessage());
		}
		return file;
	}

	/**
	 * Renders an overlay ({@code kubectl kustomize}), its routes written first.
	 * @return the manifests, YAML documents
	 */
	public String render(String overlay) {
		if (!OVERLAYS.contains(overlay)) {
			throw new K8sException("no overlay '" + overlay + "': one of " + String.join(", ", OVERLAYS));
		}
		writeIstioRoutes();
		return kustomize(this.deploy.resolve("overlays").resolve(overlay));
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
