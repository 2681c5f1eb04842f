package dev.stranglerkit.discovery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eureka with the landscape's own settings (config-repo/application.yml and
 * discovery.yml, read from the files here instead of through the config server): it
 * requires its credentials, and an instance that stops sending heartbeats is evicted
 * within seconds, not minutes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "kit.config-import=file:../config-repo/application.yml,file:../config-repo/discovery.yml",
				"spring.cloud.config.enabled=false", "spring.cloud.bus.enabled=false" })
class DiscoveryTests {

	static final String CREDENTIALS = "eureka:eureka-secret";

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * A server that has just started refuses registry reads (403) for 10 s
	 * (wait-time-in-ms-when-sync-empty), so that its clients keep the registry they had
	 * while their instances register again; the tests read it once it is open.
	 */
	@BeforeEach
	void awaitTheRegistryOpen() {
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> send("GET", "/eureka/apps", CREDENTIALS, null).statusCode() == 200);
	}

	@Test
	void theRegistryNeedsTheCredentials() throws Exception {
		assertThat(send("GET", "/eureka/apps", null, null).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/eureka/apps", "eureka:wrong", null).statusCode()).isEqualTo(401);
		assertThat(send("POST", "/eureka/apps/INTRUDER", null, instance("INTRUDER", 2)).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/", null, null).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/eureka/apps", CREDENTIALS, null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
	}

	@Test
	void anInstanceWithoutHeartbeatsIsEvictedWithinSeconds() throws Exception {
		// the lease the landscape's clients ask for (config-repo/application.yml); the
		// clock
		// starts before the registration, so that the time measured is never shorter than
		// the time the server kept it
		long registered = System.nanoTime();
		assertThat(send("POST", "/eureka/apps/SILENT", CREDENTIALS, instance("SILENT", 6)).statusCode()).isEqualTo(204);
		assertThat(send("GET", "/eureka/apps/SILENT", CREDENTIALS, null).statusCode()).isEqualTo(200);
		// it expires after its lease (an instance that renewed, then stopped, after twice
		// the lease: Eureka's Lease quirk), then the eviction task (every second) removes
		// it
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> send("GET", "/eureka/apps/SILENT", CREDENTIALS, null).statusCode() == 404);
		assertThat(Duration.ofNanos(System.nanoTime() - registered)).isGreaterThan(Duration.ofSeconds(6));
	}

	private static String instance(String app, int leaseSeconds) {
		return """
				{"instance": {
				  "instanceId": "%1$s:1", "hostName": "127.0.0.1", "app": "%1$s", "ipAddr": "127.0.0.1",
				  "status": "UP", "port": {"$": 1, "@enabled": "true"},
				  "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"},
				  "leaseInfo": {"renewalIntervalInSecs": 1, "durationInSecs": %2$d}
				}}"""
			.formatted(app, leaseSeconds);
	}

	private HttpResponse<String> send(String method, String path, String credentials, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", "application/json")
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
