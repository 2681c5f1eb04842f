package dev.stranglerkit.configserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config server against a copy of the kit's config-repo and the real RabbitMQ: it
 * requires its credentials, serves the routes, refuses path traversal, and turns a
 * changed file into a refresh on Spring Cloud Bus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.rabbitmq.virtual-host=${SHOP_TEST_RABBIT_VHOST:shop_test}")
class ConfigServerTests {

	static final Path repo;

	static {
		try {
			repo = Files.createTempDirectory("config-repo");
			FileSystemUtils.copyRecursively(Path.of("../config-repo"), repo);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void configRepo(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.config.server.native.search-locations", () -> repo.toUri().toString());
	}

	@AfterAll
	static void removeCopy() throws IOException {
		FileSystemUtils.deleteRecursively(repo);
	}

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void everythingButHealthNeedsTheCredentials() throws Exception {
		assertThat(get("/gateway/default", null).statusCode()).isEqualTo(401);
		assertThat(get("/gateway/default", "config:wrong").statusCode()).isEqualTo(401);
		// the console's login is for people: it opens no machine surface
		assertThat(get("/gateway/default", "console:console-secret").statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", "console:console-secret").statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
	}

	@Test
	void servesTheStranglerRoutes() throws Exception {
		HttpResponse<String> gateway = get("/gateway/default", "config:config-secret");
		assertThat(gateway.statusCode()).isEqualTo(200);
		assertThat(gateway.body()).contains("strangler.routes.inventory.mode")
			.contains("strangler.routes.inventory.service");
	}

	/**
	 * Probes from the CVE-2020-5410 class against the resource endpoint, with and without
	 * the credentials: a 4xx, never a file's contents.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/gateway/default/main/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
			"/gateway/default/main/..%252F..%252F..%252F..%252F..%252Fetc%252Fpasswd",
			"/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd/default/main",
			"/..%252F..%252F..%252F..%252F..%252Fetc%252Fpasswd/default/main",
			"/gateway/default/main/..%2F..%2Fpom.xml", "/gateway/default/main/..%252F..%252Fpom.xml",
			"/gateway/default/..%2F..%2F/pom.xml", "/gateway/default/..%252F..%252F/pom.xml" })
	void pathTraversalProbesGetA4xxAndNoFile(String probe) throws Exception {
		for (String credentials : new String[] { null, "config:config-secret" }) {
			HttpResponse<String> response = get(probe, credentials);
			assertThat(response.statusCode()).as("%s with credentials %s", probe, credentials != null)
				.isBetween(400, 499);
			assertThat(response.body()).doesNotContain("root:").doesNotContain("<project");
		}
	}

	@Test
	void aChangedFileBecomesARefreshOnTheBus() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"));
		factory.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			channel.exchangeDeclare("springCloudBus", "topic", true);
			String queue = channel.queueDeclare().getQueue();
			channel.queueBind(queue, "springCloudBus", "#");
			channel.basicConsume(queue, true,
					(tag, message) -> received.add(new String(message.getBody(), StandardCharsets.UTF_8)), (tag) -> {
					});

			Path gateway = repo.resolve("gateway.yml");
			List<String> lines = Files.readAllLines(gateway);
			Files.writeString(gateway,
					String.join("\n", lines) + "\n# changed by " + getClass().getSimpleName() + "\n");

			String refresh = received.poll(10, TimeUnit.SECONDS);
			assertThat(refresh).as("a bus message within 10 s of the change").isNotNull();
			assertThat(refresh).contains("RefreshRemoteApplicationEvent").contains("gateway");
		}
	}

	private HttpResponse<String> get(String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
