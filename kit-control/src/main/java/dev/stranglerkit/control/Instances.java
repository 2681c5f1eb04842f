package dev.stranglerkit.control;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the landscape's applications answer: the instances Eureka lists, and the one on
 * each application's usual port (which Eureka may not list yet, or at all when Eureka is
 * down).
 *
 * @param eureka the registry's base URL (its REST API is under {@code /eureka})
 * @param eurekaCredentials {@code user:password} for the registry
 * @param operatorCredentials {@code user:password} for the applications' actuator
 * endpoints ({@link Credential#ADMIN})
 * @param usual application -> the instance on its usual port
 */
public record Instances(URI eureka, String eurekaCredentials, String operatorCredentials, Map<String, URI> usual) {

	private static final JsonMapper json = JsonMapper.builder().build();

	public Instances {
		usual = Map.copyOf(usual);
	}

	/** An instance as Eureka has it. */
	public record Registered(URI uri, String status) {
	}

	/**
	 * @return the application's instances in Eureka (none when Eureka does not know it),
	 * or empty when Eureka does not answer
	 */
	public Optional<List<Registered>> registered(String application) {
		Optional<HttpResponse<String>> response = Http
			.get(this.eureka.resolve("/eureka/apps/" + application.toUpperCase()), this.eurekaCredentials);
		if (response.isEmpty() || (response.get().statusCode() != 200 && response.get().statusCode() != 404)) {
			return Optional.empty();
		}
		List<Registered> instances = new ArrayList<>();
		if (response.get().statusCode() == 200) {
			JsonNode listed = json(response.get()).path("application").path("instance");
			for (JsonNode instance : listed.isArray() ? listed : List.of(listed)) {
				// (with mutual TLS the instance registers its secure port only)
				boolean secure = instance.path("securePort").path("@enabled").asString("false").equals("true");
				int port = instance.path(secure ? "securePort" : "port").path("$").asInt();
				instances.add(new Registered(
						URI.create(
								(secure ? "https" : "http") + "://" + instance.path("ipAddr").asString() + ":" + port),
						instance.path("status").asString("")));
			}
		}
		return Optional.of(instances);
	}

	/**
	 * @return every instance of the application that runs: Eureka's, whatever its status,
	 * and the one on its usual port
	 */
	public List<URI> running(String application) {
		Set<URI> instances = new LinkedHashSet<>();
		registered(application)
			.ifPresent((registered) -> registered.forEach((instance) -> instances.add(instance.uri())));
		instances.add(usual(application));
		return instances.stream().filter(Http::listening).toList();
	}

	/**
	 * @return the instance on the application's usual port
	 * @throws RouteChangeException for an application the landscape does not have
	 */
	public URI usual(String application) {
		URI usual = this.usual.get(application);
		if (usual == null) {
			throw new RouteChangeException("no application '" + application + "' (applications: "
					+ String.join(", ", this.usual.keySet()) + ")");
		}
		return usual;
	}

	/**
	 * @return the instance's answer at an actuator endpoint, with the operators'
	 * credentials, or empty when it does not answer
	 */
	public Optional<HttpResponse<String>> actuator(URI instance, String endpoint) {
		return Http.get(instance.resolve("/actuator/" + endpoint), this.operatorCredentials);
	}

	/**
	 * @return whether the instance answers health UP
	 */
	public static boolean healthy(URI instance) {
		return Http.get(instance.resolve("/actuator/health"), null)
			.filter((response) -> response.statusCode() == 200)
			.map((response) -> json(response).path("status").asString("").equals("UP"))
			.orElse(false);
	}

	/**
	 * @return the body as JSON, or a missing node when it is not JSON
	 */
	static JsonNode json(HttpResponse<String> response) {
		try {
			return json.readTree(response.body());
		}
		catch (RuntimeException notJson) {
			return json.missingNode();
		}
	}

}
