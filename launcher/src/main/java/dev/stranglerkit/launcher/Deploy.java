package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.stranglerkit.k8s.K8sException;
import dev.stranglerkit.k8s.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The kit beyond one machine: its applications as container images ({@code ./kit images},
 * Jib) and the landscape as Kubernetes manifests rendered from the route state
 * ({@code ./kit k8s render}, kit-k8s).
 */
final class Deploy {

	/** the applications with an image (each one's pom sets {@code jib.skip} to false) */
	static final List<String> IMAGES = List.of("config-server", "discovery", "gateway", "monolith",
			"extracted-services/inventory-service", "extracted-services/notification-service");

	private Deploy() {
	}

	@Command(name = "images",
			description = "build an OCI image of each application with Jib, no Docker engine needed: "
					+ ".kit/images/<application>.tar (strangler-kit/<application>:<version>, the names deploy/k8s "
					+ "uses), on the base image KIT_IMAGE_BASE (default eclipse-temurin:25-jre; also "
					+ "docker://<image> from a Docker engine, or tar://<file> saved by docker save)")
	static final class Images extends Kit.KitCommand {

		@Parameters(paramLabel = "app", arity = "0..*", description = "applications (default: all six)")
		List<String> apps = new ArrayList<>();

		@Override
		public Integer call() {
			List<String> modules = this.apps.isEmpty() ? IMAGES : this.apps.stream().map(Images::module).toList();
			String base = this.kit.env.getOrDefault("KIT_IMAGE_BASE", "eclipse-temurin:25-jre");
			Path images = this.kit.state().resolve("images");
			List<String> command = List.of("mvn", "-B", "-ntp", "-Pimages", "package", "-DskipTests",
					"-Dkit.image.base=" + base, "-Dkit.images=" + images, "-pl", String.join(",", modules), "-am");
			Kit.say(String.join(" ", command));
			Path log = this.kit.state().resolve("logs/images.log");
			int exit = this.kit.exec(command, log);
			if (exit != 0) {
				throw new LaunchException(
						Images.failure(base, read(log)) + " (Maven's output: " + this.kit.home.relativize(log) + ")");
			}
			for (String module : modules) {
				Path image = images.resolve(Path.of(module).getFileName() + ".tar");
				System.out.printf("%s (%d MiB)%n", this.kit.home.relativize(image), size(image) >> 20);
			}
			System.out.println("load one: docker load -i <file>, or podman load; or push it with skopeo or crane");
			return 0;
		}

		/**
		 * @return why the images could not be built, plainly: the base image not pulled
		 * first, since that is what a machine without a registry meets
		 */
		static String failure(String base, String output) {
			for (String line : output.lines().toList()) {
				if (line.contains("Unknown host") || line.contains("UnknownHost")
						|| line.contains("I/O error for image") || line.contains("Connect to")
						|| line.contains("Unauthorized") || line.contains("Build image failed")) {
					return "the base image " + base + " could not be pulled: "
							+ line.replaceFirst("^\\[ERROR\\]\\s*", "").strip()
							+ ". Set KIT_IMAGE_BASE to a JRE 21+ image your registry serves, or a local one: "
							+ "docker://<image> (a Docker engine's) or tar://<file> (docker save's)";
				}
			}
			return "the images were not built: "
					+ output.lines().filter((line) -> line.startsWith("[ERROR]")).findFirst().orElse("Maven failed");
		}

		private static String module(String app) {
			return IMAGES.stream()
				.filter((module) -> Path.of(module).getFileName().toString().equals(app))
				.findFirst()
				.orElseThrow(() -> new LaunchException("no application '" + app + "' (one of "
						+ IMAGES.stream()
							.map((m) -> Path.of(m).getFileName().toString())
							.collect(Collectors.joining(", "))
						+ ")"));
		}

		private static long size(Path file) {
			try {
				return Files.size(file);
			}
			catch (IOException ex) {
				throw new LaunchException("no image at " + file + ": " + ex.getMessage());
			}
		}

	}

	@Command(name = "k8s", subcommands = K8s.Render.class,
			description = "the landscape on Kubernetes (deploy/k8s, kustomize): render writes an overlay's manifests "
					+ "from the route state of config-repo, the strangler routes as Istio resources for istio")
	static final class K8s implements Runnable {

		@ParentCommand
		Kit kit;

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			this.spec.commandLine().usage(this.spec.commandLine().getOut());
		}

		@Command(name = "render",
				description = "each overlay's manifests (kubectl kustomize) from the route state of config-repo "
						+ "(for istio, its gateway.yml as Istio resources) to .kit/k8s/<overlay>.yaml, to apply with "
						+ "kubectl apply -f")
		static final class Render implements Callable<Integer> {

			@ParentCommand
			K8s k8s;

			@Parameters(paramLabel = "overlay", arity = "0..*",
					description = "spring-cloud (the kit's control plane and gateway) or istio (the mesh's data "
							+ "plane); default both")
			List<String> overlays = new ArrayList<>();

			@Override
			public Integer call() {
				Kit kit = this.k8s.kit;
				for (String overlay : this.overlays.isEmpty() ? Manifests.OVERLAYS : this.overlays) {
					Path file = render(kit, overlay);
					System.out.printf("%s: %s%n", kit.home.relativize(file), kinds(read(file)));
				}
				System.out.println("apply: kubectl apply -f .kit/k8s/<overlay>.yaml (deploy/k8s/README.md)");
				return 0;
			}

		}

	}

	/**
	 * Renders an overlay into {@code .kit/k8s/<overlay>.yaml}.
	 * @return the file
	 */
	static Path render(Kit kit, String overlay) {
		String manifests;
		try {
			manifests = manifests(kit).render(overlay, kit.state().resolve("k8s/src"));
		}
		catch (K8sException ex) {
			throw new LaunchException(ex.getMessage());
		}
		Path file = kit.state().resolve("k8s").resolve(overlay + ".yaml");
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, manifests);
		}
		catch (IOException ex) {
			throw new LaunchException("cannot write " + file + ": " + ex.getMessage());
		}
		return file;
	}

	/**
	 * After {@code ./kit route --k8s}: renders the overlay and prints what applying it
	 * changes for the route.
	 */
	static void printSwitch(Kit kit, String overlay, String route) {
		Path file = render(kit, overlay);
		if (overlay.equals("istio")) {
			System.out.println("the VirtualService strangler's routes for " + route + ", as applying "
					+ kit.home.relativize(file) + " sets them:");
			try {
				System.out.print(manifests(kit).istioRoutes(route));
			}
			catch (K8sException ex) {
				throw new LaunchException(ex.getMessage());
			}
		}
		else {
			System.out.println("the ConfigMap config-repo's gateway.yml, as applying " + kit.home.relativize(file)
					+ " sets it: once the kubelet updates the mounted files (within its sync period, about a "
					+ "minute), the config server sees them and every gateway applies the switch over the bus");
		}
		System.out.println("apply: kubectl apply -f " + kit.home.relativize(file));
	}

	/**
	 * @return deploy/k8s with the kit's config repository
	 */
	static Manifests manifests(Kit kit) {
		return new Manifests(kit.home.resolve("deploy/k8s"), kit.configRepo());
	}

	/**
	 * @return how many objects of each kind the manifests hold: "3 Deployment, ..."
	 */
	static String kinds(String manifests) {
		Map<String, Integer> kinds = new TreeMap<>();
		manifests.lines()
			.filter((line) -> line.startsWith("kind: "))
			.forEach((line) -> kinds.merge(line.substring("kind: ".length()).strip(), 1, Integer::sum));
		return kinds.entrySet()
			.stream()
			.map((kind) -> kind.getValue() + " " + kind.getKey())
			.collect(Collectors.joining(", "));
	}

	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

}
