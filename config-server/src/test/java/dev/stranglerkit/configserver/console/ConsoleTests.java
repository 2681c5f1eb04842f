package dev.stranglerkit.configserver.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration console on a real port, against a copy of the kit's config-repo and the
 * real RabbitMQ (the bus), with no gateway or registry running: a login is needed, the
 * routes show as the file says them, a bad switch is a problem+json answer that changes
 * nothing, and a switch writes the file and the audit trail under the logged-in user.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.rabbitmq.virtual-host=${SHOP_TEST_RABBIT_VHOST:shop_test}",
				// nothing listens there: the console says so and shows the rest
				"kit.console.gateway.url=http://127.0.0.1:9", "kit.console.eureka.url=http://127.0.0.1:9/eureka" })
class ConsoleTests {

	static final String REPLAY_QUEUE = "console-replay-tests";

	static final Path repo;

	static {
		try {
			repo = Files.createTempDirectory("config-repo");
			FileSystemUtils.copyRecursively(Path.of("../config-repo"), repo);
			Files.deleteIfExists(repo.resolve("audit.log"));
			// the replay's queues: one of the test's own (the tests' virtual host has
			// other
			// tests' queues, not the landscape's)
			Path shared = repo.resolve("application.yml");
			Files.writeString(shared, Files.readString(shared)
				.replaceAll("(?m)^      (inventory-service|notification-service|monolith): \\[.*\\]$", "")
				.replace("    subscriptions:\n", "    subscriptions:\n      " + REPLAY_QUEUE + ": [consoletest.#]\n"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void configRepo(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.config.server.native.search-locations", () -> repo.toUri().toString());
		registry.add("kit.console.config-repo", repo::toString);
		registry.add("kit.console.applications.monolith", () -> standIn(() -> true));
		registry.add("kit.console.applications.inventory-service", () -> standIn(serviceHealthy::get));
	}

	/** whether the inventory-service's stand-in answers health UP */
	static final AtomicBoolean serviceHealthy = new AtomicBoolean(true);

	static final List<HttpServer> standIns = new CopyOnWriteArrayList<>();

	/**
	 * A stand-in application on a port of its own, with no registry answering (the
	 * console's Eureka is port 9): health as {@code healthy} says, and
	 * {@code /actuator/ownership} as config-repo's application.yml says it at once (as a
	 * bus refresh would).
	 * @return its base URL
	 */
	static String standIn(BooleanSupplier healthy) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/actuator/health", (exchange) -> answer(exchange,
					"{\"status\":\"" + (healthy.getAsBoolean() ? "UP" : "DOWN") + "\"}"));
			server.createContext("/actuator/ownership", (exchange) -> {
				Map<String, Object> yaml = new Yaml().load(Files.readString(repo.resolve("application.yml")));
				answer(exchange,
						JsonMapper.builder()
							.build()
							.writeValueAsString(((Map<?, ?>) yaml.get("kit")).get("ownership")));
			});
			server.start();
			standIns.add(server);
			return "http://127.0.0.1:" + server.getAddress().getPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void answer(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

	@AfterAll
	static void removeCopy() throws IOException {
		standIns.forEach((server) -> server.stop(0));
		FileSystemUtils.deleteRecursively(repo);
	}

	@LocalServerPort
	int port;

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theConsoleNeedsALogin() throws Exception {
		HttpClient anonymous = client();
		HttpResponse<String> page = send(anonymous, get("/console"));
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login"));
		assertThat(send(anonymous, get("/console/api/state")).statusCode()).isEqualTo(401);
		assertThat(send(anonymous, get("/console/console.js")).statusCode()).isEqualTo(302);
		// HTTP Basic is for machines on the config server's other paths, not for the
		// console: neither the machines' credential nor the console's own opens it so
		assertThat(send(anonymous, get("/console/api/state").header("Authorization", basic("config:config-secret")))
			.statusCode()).isEqualTo(401);
		assertThat(send(anonymous, get("/console/api/state").header("Authorization", basic("console:console-secret")))
			.statusCode()).isEqualTo(401);
		String before = Files.readString(repo.resolve("gateway.yml"));
		assertThat(send(anonymous, post("/console/api/switch", "{\"route\":\"inventory\",\"mode\":\"service\"}"))
			.statusCode()).isIn(401, 403);
		assertThat(Files.readString(repo.resolve("gateway.yml"))).isEqualTo(before);

		HttpResponse<String> wrong = login(anonymous, "console", "wrong");
		assertThat(wrong.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login?error"));
		assertThat(send(anonymous, get("/console/api/state")).statusCode()).isEqualTo(401);
	}

	@Test
	void theMachinesCredentialIsNoConsoleLogin() throws Exception {
		HttpClient machine = client();
		HttpResponse<String> refused = login(machine, "config", "config-secret");
		assertThat(refused.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/login?error"));
		assertThat(send(machine, get("/console/api/state")).statusCode()).isEqualTo(401);
		String before = Files.readString(repo.resolve("gateway.yml"));
		assertThat(send(machine, post("/console/api/switch", "{\"route\":\"inventory\",\"mode\":\"service\"}"))
			.statusCode()).isIn(401, 403);
		assertThat(Files.readString(repo.resolve("gateway.yml"))).isEqualTo(before);
	}

	@Test
	void showsTheRoutesAsTheFileSaysThemAndWhatDoesNotAnswer() throws Exception {
		Session session = signIn();
		HttpResponse<String> page = send(session.http(), get("/console"));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Migration console").contains("/console/console.js");
		assertThat(send(session.http(), get("/console/console.js")).headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/javascript"));

		JsonNode state = state(session);
		List<String> names = state.path("routes").valueStream().map((route) -> route.path("name").asString()).toList();
		assertThat(names).containsExactly("catalog", "inventory", "orders", "payments", "notifications");
		JsonNode catalog = state.path("routes").get(0);
		assertThat(catalog.path("mode").asString()).isEqualTo("monolith");
		assertThat(catalog.path("appliedMode").isNull()).as("no gateway answers").isTrue();
		assertThat(state.path("problems").path("gateway").asString()).contains("not running");
		assertThat(state.path("problems").path("eureka").asString()).contains("not running");
	}

	@Test
	void refusesABadSwitchWithAProblemAndChangesNothing() throws Exception {
		Session session = signIn();
		String before = Files.readString(repo.resolve("gateway.yml"));
		List<String> auditBefore = audit();
		List<Bad> bad = List.of(
				new Bad("{\"route\":\"nowhere\",\"mode\":\"service\"}", 422,
						"no route 'nowhere' in config-repo/gateway.yml"),
				new Bad("{\"route\":\"inventory\",\"mode\":\"sideways\"}", 422, "unknown mode 'sideways'"),
				new Bad("{\"route\":\"inventory\",\"mode\":\"canary\"}", 422, "canary needs a percent"),
				new Bad("{\"route\":\"inventory\",\"mode\":\"canary\",\"percent\":101}", 422,
						"the canary percent is between 0 and 100, not 101"),
				new Bad("{\"route\":\"inventory\",\"mode\":\"canary\",\"percent\":-5}", 422,
						"the canary percent is between 0 and 100, not -5"),
				new Bad("{\"route\":\"inventory\",\"mode\":\"canary\",\"percent\":\"thirty\"}", 400, null),
				new Bad("{\"route\":", 400, null));
		for (Bad request : bad) {
			assertRefused(session.switchRoute(request.body()), request);
		}
		assertThat(Files.readString(repo.resolve("gateway.yml"))).isEqualTo(before);
		assertThat(audit()).isEqualTo(auditBefore);
	}

	/**
	 * A request the console must refuse: its status, and what the problem's detail says.
	 */
	record Bad(String body, int status, String detail) {
	}

	/**
	 * @return the problem, once asserted to be the expected one, without a stack trace
	 */
	private JsonNode assertRefused(HttpResponse<String> response, Bad request) {
		assertThat(response.statusCode()).as(request.body()).isEqualTo(request.status());
		assertThat(response.headers().firstValue("Content-Type")).as(request.body())
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.path("status").asInt()).isEqualTo(request.status());
		if (request.detail() != null) {
			assertThat(problem.path("detail").asString()).as(request.body()).contains(request.detail());
		}
		assertThat(response.body()).as("no stack trace").doesNotContain("Exception").doesNotContain("\tat ");
		return problem;
	}

	private static List<String> audit() throws IOException {
		Path audit = repo.resolve("audit.log");
		return Files.exists(audit) ? Files.readAllLines(audit) : List.of();
	}

	@Test
	void aSwitchWritesTheRouteAndTheAuditTrailWithTheUser() throws Exception {
		Session session = signIn();
		HttpResponse<String> switched = session
			.switchRoute("{\"route\":\"payments\",\"mode\":\"canary\",\"percent\":30}");
		assertThat(switched.statusCode()).as(switched.body()).isEqualTo(200);

		String gateway = Files.readString(repo.resolve("gateway.yml"));
		String payments = gateway.substring(gateway.indexOf("    payments:"), gateway.indexOf("    notifications:"));
		assertThat(payments).contains("      mode: canary\n").contains("      canary-percent: 30\n");
		assertThat(gateway).as("the file's comments are kept").startsWith("# The strangler routes");
		assertThat(Files.readAllLines(repo.resolve("audit.log")))
			.anySatisfy((line) -> assertThat(line).matches("\\S+Z console console payments canary 30"));

		JsonNode audit = state(session).path("audit").get(0);
		assertThat(audit.path("user").asString()).isEqualTo("console");
		assertThat(audit.path("via").asString()).isEqualTo("console");
		assertThat(audit.path("route").asString()).isEqualTo("payments");
		assertThat(audit.path("percent").asInt()).isEqualTo(30);

		assertThat(session.switchRoute("{\"route\":\"payments\",\"mode\":\"monolith\"}").statusCode()).isEqualTo(200);
		assertThat(Files.readAllLines(repo.resolve("audit.log")).getLast())
			.endsWith(" console console payments monolith -");
	}

	@Test
	void aCutoverBothSidesConfirmWritesTheHandoffAndTheRouteWithTheUser() throws Exception {
		Session session = signIn();
		HttpResponse<String> moved = session.cutover("{\"module\":\"inventory\",\"to\":\"service\"}");

		assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
		JsonNode answer = this.json.readTree(moved.body());
		String handoff = answer.path("handoff").asString();
		assertThat(answer.path("progress").valueStream().map(JsonNode::asString))
			.anyMatch((line) -> line.startsWith("monolith confirmed the handoff in"))
			.anyMatch((line) -> line.startsWith("inventory-service confirmed the handoff in"));
		assertThat(repo.resolve("application.yml")).content().containsOnlyOnce("- " + handoff + "=service");
		String gateway = Files.readString(repo.resolve("gateway.yml"));
		String inventory = gateway.substring(gateway.indexOf("    inventory:"), gateway.indexOf("    orders:"));
		assertThat(inventory).contains("      mode: service\n").contains("      owner: service\n");
		assertThat(Files.readAllLines(repo.resolve("audit.log")).getLast())
			.endsWith(" console console inventory service -");

		HttpResponse<String> back = session.cutover("{\"module\":\"inventory\",\"to\":\"monolith\"}");
		assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
		assertThat(Files.readAllLines(repo.resolve("audit.log")).getLast())
			.endsWith(" console console inventory monolith -");
	}

	@Test
	void refusesACutoverWithAProblemAndChangesNothing() throws Exception {
		Session session = signIn();
		String application = Files.readString(repo.resolve("application.yml"));
		String gateway = Files.readString(repo.resolve("gateway.yml"));
		List<String> auditBefore = audit();
		List<Bad> bad = List.of(
				new Bad("{\"module\":\"orders\",\"to\":\"service\"}", 422,
						"no extracted service for module 'orders' (modules: inventory, notifications)"),
				new Bad("{\"module\":\"inventory\"}", 422,
						"a cutover moves a module to 'service' or back to 'monolith'"),
				new Bad("{\"module\":\"inventory\",\"to\":\"sideways\"}", 422, "not 'sideways'"),
				new Bad("{\"module\":", 400, null),
				// its instance answers health DOWN: nothing would decide after the
				// handoff
				new Bad("{\"module\":\"inventory\",\"to\":\"service\"}", 409,
						"inventory-service has no healthy instance"));
		serviceHealthy.set(false);
		try {
			for (Bad request : bad) {
				JsonNode problem = assertRefused(session.cutover(request.body()), request);
				if (request.status() == 409) {
					assertThat(problem.path("title").asString()).isEqualTo("Cutover refused");
				}
			}
		}
		finally {
			serviceHealthy.set(true);
		}
		assertThat(Files.readString(repo.resolve("application.yml"))).isEqualTo(application);
		assertThat(Files.readString(repo.resolve("gateway.yml"))).isEqualTo(gateway);
		assertThat(audit()).isEqualTo(auditBefore);
	}

	@Test
	void theReplayButtonSendsTheDeadLettersBackToTheirQueue() throws Exception {
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		try (com.rabbitmq.client.Connection broker = factory.newConnection();
				com.rabbitmq.client.Channel channel = broker.createChannel()) {
			channel.queueDeclare(REPLAY_QUEUE, true, false, false, null);
			channel.queueDeclare(REPLAY_QUEUE + ".dlq", true, false, false, null);
			channel.queuePurge(REPLAY_QUEUE);
			channel.queuePurge(REPLAY_QUEUE + ".dlq");
			channel.basicPublish("", REPLAY_QUEUE + ".dlq",
					new com.rabbitmq.client.AMQP.BasicProperties.Builder().messageId("dead-1").build(),
					"{}".getBytes(StandardCharsets.UTF_8));
			Session session = signIn();

			assertThat(send(client(), post("/console/api/replay", "")).statusCode()).as("needs a login").isIn(401, 403);
			HttpResponse<String> replayed = send(session.http(),
					post("/console/api/replay", "").header(session.csrfHeader(), session.csrfToken()));

			assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
			assertThat(this.json.readTree(replayed.body()).path(REPLAY_QUEUE).asInt()).isEqualTo(1);
			com.rabbitmq.client.GetResponse back = channel.basicGet(REPLAY_QUEUE, true);
			assertThat(back).isNotNull();
			assertThat(back.getProps().getMessageId()).isEqualTo("dead-1");
			assertThat(channel.messageCount(REPLAY_QUEUE + ".dlq")).isZero();
		}
	}

	/** A logged-in browser: its cookies, and the CSRF token its page carries. */
	record Session(HttpClient http, String csrfHeader, String csrfToken, ConsoleTests test) {

		HttpResponse<String> switchRoute(String body) throws Exception {
			return this.test.send(this.http,
					this.test.post("/console/api/switch", body).header(this.csrfHeader, this.csrfToken));
		}

		HttpResponse<String> cutover(String body) throws Exception {
			return this.test.send(this.http,
					this.test.post("/console/api/cutover", body).header(this.csrfHeader, this.csrfToken));
		}

	}

	private Session signIn() throws Exception {
		HttpClient http = client();
		HttpResponse<String> loggedIn = login(http, "console", "console-secret");
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		assertThat(loggedIn.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console"));
		String page = send(http, get("/console")).body();
		return new Session(http, meta(page, "csrf-header"), meta(page, "csrf-token"), this);
	}

	private HttpResponse<String> login(HttpClient http, String user, String password) throws Exception {
		HttpResponse<String> form = send(http, get("/console/login"));
		assertThat(form.statusCode()).isEqualTo(200);
		Matcher csrf = Pattern.compile("name=\"(_csrf)\" value=\"([^\"]+)\"").matcher(form.body());
		assertThat(csrf.find()).as("a CSRF field in %s", form.body()).isTrue();
		String body = "username=" + encode(user) + "&password=" + encode(password) + "&" + csrf.group(1) + "="
				+ encode(csrf.group(2));
		return send(http, request("/console/login").header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private JsonNode state(Session session) throws Exception {
		HttpResponse<String> state = send(session.http(), get("/console/api/state"));
		assertThat(state.statusCode()).isEqualTo(200);
		return this.json.readTree(state.body());
	}

	private static String meta(String page, String name) {
		Matcher meta = Pattern.compile("<meta name=\"" + name + "\" content=\"([^\"]+)\"").matcher(page);
		assertThat(meta.find()).as("meta %s", name).isTrue();
		return meta.group(1);
	}

	private static HttpClient client() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	private HttpRequest.Builder get(String path) {
		return request(path).GET();
	}

	HttpRequest.Builder post(String path, String json) {
		return request(path).header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String basic(String credentials) {
		return "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
