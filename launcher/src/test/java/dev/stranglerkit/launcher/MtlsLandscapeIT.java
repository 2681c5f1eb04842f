package dev.stranglerkit.launcher;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.stranglerkit.control.Credential;
import dev.stranglerkit.control.Instances;
import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.control.Tls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The landscape with mutual TLS, as {@code ./kit up --mtls} starts it: every application
 * with its own certificate of the kit's CA, every hop HTTPS with client certificates, the
 * shop's API open to the gateway's identity only. The shop works end to end through the
 * gateway (the saga, a cutover); around the gateway, a call without a certificate, with
 * one of another CA, or with one of another identity of the kit gets nowhere; and
 * certificates rotate under load without a failed request.
 */
class MtlsLandscapeIT {

	static TestLandscape landscape;

	static Pki pki;

	/**
	 * the shop's users: HTTPS to the gateway, trusting the kit's CA, with no certificate
	 * of their own (the edge asks for none)
	 */
	static HttpClient shopper;

	static final URI gateway = URI.create("https://127.0.0.1:8080");

	static final URI monolith = URI.create("https://127.0.0.1:8081");

	static final URI inventoryService = URI.create("https://127.0.0.1:8082");

	static final String PRODUCT = "00000000-0000-0000-0000-000000000001";

	static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@BeforeAll
	static void startTheLandscapeWithMutualTls() throws Exception {
		landscape = new TestLandscape(Map.of(), true);
		pki = landscape.mtls.pki();
		landscape.up(List.of(List.of(landscape.app(Landscape.CONFIG_SERVER)),
				List.of(landscape.app(Landscape.DISCOVERY)), List.of(landscape.app(Landscape.MONOLITH),
						landscape.app("inventory-service"), landscape.app(Landscape.GATEWAY))));
		shopper = HttpClient.newBuilder().sslContext(trusting(pki.caCertificate())).build();
		HttpResponse<String> stocked = shopper.send(HttpRequest.newBuilder(gateway.resolve("/api/inventory/" + PRODUCT))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"available\":500}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(stocked.statusCode()).as(stocked.body()).isBetween(200, 204);
	}

	@AfterAll
	static void stopTheLandscape() {
		if (landscape != null) {
			landscape.down();
		}
		assertThat(Tls.on()).isFalse();
	}

	@Test
	void theShopWorksEndToEndThroughTheGatewayBeforeAndAfterACutover() throws Exception {
		// Eureka has each application's HTTPS port only, and the gateway's lb:// uses it
		Instances instances = Cutover.localInstances();
		assertThat(instances.registered("inventory-service").orElseThrow())
			.extracting((instance) -> instance.uri().toString())
			.containsExactly("https://127.0.0.1:8082");
		String before = place("4242424242424242", 1);
		String declined = place("4000000000000002", 1);
		awaitStatus(before, "CONFIRMED");
		awaitStatus(declined, "CANCELLED");

		new Cutover(landscape.landscape.configRepo()).move("inventory", "service");
		HttpResponse<String> stock = get(shopper, gateway, "/api/inventory/" + PRODUCT);
		assertThat(stock.statusCode()).isEqualTo(200);
		assertThat(stock.headers().firstValue("X-Served-By")).hasValue("inventory-service");
		String after = place("4242424242424242", 2);
		awaitStatus(after, "CONFIRMED");
		// the service decided it, and both sides agree on the stock
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(json.readTree(get(as("gateway"), monolith, "/api/inventory/" + PRODUCT).body()))
						.isEqualTo(json
							.readTree(get(as("gateway"), inventoryService, "/api/inventory/" + PRODUCT).body())));
	}

	@Test
	void aDirectCallWithoutAClientCertificateFailsTheHandshake() {
		for (URI application : List.of(monolith, inventoryService)) {
			assertThatExceptionOfType(SSLHandshakeException.class).as(application.toString())
				.isThrownBy(() -> get(shopper, application, "/api/catalog/products"))
				.withMessageContaining("certificate_required");
		}
	}

	@Test
	void aCertificateOfAnotherCaFailsTheHandshake() throws Exception {
		// the gateway's name, issued by a CA the landscape does not trust
		Pki theirs = new Pki(this.dir.resolve("theirs"));
		theirs.issue("gateway", Duration.ofDays(1));
		Path impostor = this.dir.resolve("impostor");
		Files.createDirectories(impostor);
		Files.copy(theirs.certificate("gateway"), impostor.resolve("gateway.crt"));
		Files.copy(theirs.privateKey("gateway"), impostor.resolve("gateway.key"));
		Files.copy(pki.caCertificate(), impostor.resolve("ca.crt"));
		HttpClient client = HttpClient.newBuilder().sslContext(Tls.context(impostor, "gateway")).build();
		String path = "/api/inventory/" + PRODUCT;
		for (URI application : List.of(monolith, inventoryService, gateway)) {
			// the genuine certificate of the same name gets through
			assertThat(get(as("gateway"), application, path).statusCode()).isEqualTo(200);
			// the server ends the handshake (with TLS 1.3 the client may have finished
			// its
			// side already: it sees the connection closed instead of the alert)
			assertThatExceptionOfType(IOException.class).as(application.toString())
				.isThrownBy(() -> get(client, application, path));
		}
	}

	@Test
	void aValidCertificateOfAnotherIdentityGets403AndChangesNothing() throws Exception {
		String stockBefore = get(as("gateway"), monolith, "/api/inventory/" + PRODUCT).body();
		for (String identity : List.of("inventory-service", Tls.OPERATOR)) {
			HttpClient client = as(identity);
			HttpResponse<String> read = get(client, monolith, "/api/catalog/products");
			assertThat(read.statusCode()).isEqualTo(403);
			assertThat(read.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=UTF-8");
			assertThat(json.readTree(read.body()).path("detail").asString())
				.startsWith("spiffe://strangler-kit/" + identity + " may not call this API");
			HttpResponse<String> write = client
				.send(HttpRequest.newBuilder(monolith.resolve("/api/inventory/" + PRODUCT))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString("{\"available\":1}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(write.statusCode()).isEqualTo(403);
			assertThat(get(client, inventoryService, "/api/inventory/" + PRODUCT).statusCode()).isEqualTo(403);
		}
		assertThat(get(as("gateway"), monolith, "/api/inventory/" + PRODUCT).body()).isEqualTo(stockBefore);
		// the operators' actuator endpoints: their credential, over any kit identity
		assertThat(get(as(Tls.OPERATOR), monolith, "/actuator/info").statusCode()).isEqualTo(401);
		assertThat(as(Tls.OPERATOR)
			.send(HttpRequest.newBuilder(monolith.resolve("/actuator/info"))
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString(Credential.ADMIN.current().getBytes(StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
	}

	@Test
	void everyApplicationReachesTheBrokerOverTlsWithItsOwnCertificate() throws Exception {
		Process listing = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "vhost", "user", "ssl", "port",
				"peer_cert_subject")
			.redirectErrorStream(true)
			.start();
		String connections = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(listing.waitFor()).as(connections).isZero();
		List<String[]> ours = connections.lines()
			.map((line) -> line.split("\t"))
			.filter((columns) -> columns.length >= 5 && columns[0].equals(TestLandscape.VHOST))
			.toList();
		// each application over TLS, with its own certificate (and its own broker user,
		// when ./kit made them)
		assertThat(ours).extracting((columns) -> columns[4].replaceAll(".*CN=([^,]+).*", "$1"))
			.as(connections)
			.contains(Landscape.CONFIG_SERVER, Landscape.DISCOVERY, Landscape.MONOLITH, "inventory-service",
					Landscape.GATEWAY);
		for (String[] connection : ours) {
			String shown = String.join(" ", connection);
			assertThat(connection[2]).as(shown).isEqualTo("true");
			assertThat(connection[3]).as(shown).isEqualTo(String.valueOf(BrokerTls.PORT));
			if (!connection[1].equals("guest")) {
				assertThat(connection[4]).as(shown).contains("CN=" + connection[1]);
			}
		}
		// the TLS listener takes no peer without a certificate of the kit's CA
		com.rabbitmq.client.ConnectionFactory broker = new com.rabbitmq.client.ConnectionFactory();
		broker.setHost("127.0.0.1");
		broker.setPort(BrokerTls.PORT);
		broker.useSslProtocol(trusting(pki.caCertificate()));
		assertThatExceptionOfType(IOException.class).isThrownBy(broker::newConnection);
	}

	@Test
	void everyApplicationReachesItsDatabaseOverTlsAsItsOwnRole() throws Exception {
		// the applications' connections to the landscape's databases (the backfill's read
		// of
		// the monolith's is done and closed by now: DatabaseTlsTests covers that grant)
		Map<String, String> owners = Map.of(TestLandscape.DATABASES.get(0), Landscape.MONOLITH,
				TestLandscape.DATABASES.get(2), "inventory-service");
		try (java.sql.Connection admin = java.sql.DriverManager.getConnection(TestLandscape.jdbc("postgres"),
				"postgres", "");
				java.sql.ResultSet rows = admin.createStatement()
					.executeQuery("SELECT a.datname, a.usename, s.ssl, s.client_dn, a.application_name"
							+ " FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)" + " WHERE a.datname IN ('"
							+ String.join("', '", owners.keySet()) + "')" + " AND a.pid <> pg_backend_pid()")) {
			Map<String, Integer> connections = new LinkedHashMap<>();
			while (rows.next()) {
				String shown = rows.getString(1) + " " + rows.getString(2) + " ssl=" + rows.getBoolean(3) + " "
						+ rows.getString(4) + " " + rows.getString(5);
				String owner = owners.get(rows.getString(1));
				assertThat(rows.getString(2)).as(shown).isEqualTo(owner);
				assertThat(rows.getBoolean(3)).as(shown).isTrue();
				assertThat(rows.getString(4)).as(shown).contains("CN=" + owner);
				connections.merge(owner, 1, Integer::sum);
			}
			assertThat(connections).containsOnlyKeys(owners.values());
		}
	}

	@Test
	void anInstanceRegistersInEurekaUnderItsOwnNameOnly() throws Exception {
		URI eureka = URI.create("https://127.0.0.1:8761");
		String credential = "Basic "
				+ Base64.getEncoder().encodeToString(Credential.EUREKA.current().getBytes(StandardCharsets.UTF_8));
		String instance = """
				{"instance":{"instanceId":"impostor","hostName":"127.0.0.1","app":"MONOLITH","ipAddr":"127.0.0.1",
				"status":"UP","port":{"$":9,"@enabled":"true"},"dataCenterInfo":{"@class":
				"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}""";
		for (String identity : List.of("inventory-service", Tls.OPERATOR)) {
			HttpResponse<String> registered = as(identity)
				.send(HttpRequest.newBuilder(eureka.resolve("/eureka/apps/MONOLITH"))
					.header("Authorization", credential)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(instance))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(registered.statusCode()).as(identity).isEqualTo(403);
			HttpResponse<String> cancelled = as(identity)
				.send(HttpRequest.newBuilder(eureka.resolve("/eureka/apps/MONOLITH/monolith:8081"))
					.header("Authorization", credential)
					.DELETE()
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(cancelled.statusCode()).as(identity).isEqualTo(403);
		}
		// nor through a peer's replication (one Eureka: no peers)
		HttpResponse<String> replicated = as("inventory-service")
			.send(HttpRequest.newBuilder(eureka.resolve("/eureka/peerreplication/batch"))
				.header("Authorization", credential)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"replicationList\":[]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(replicated.statusCode()).isEqualTo(403);
		// reading the registry takes the credential, whoever reads
		HttpResponse<String> read = as("inventory-service")
			.send(HttpRequest.newBuilder(eureka.resolve("/eureka/apps/MONOLITH"))
				.header("Authorization", credential)
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).contains("monolith:8081").doesNotContain("impostor");
	}

	@Test
	void certificatesRotateUnderLoadWithoutAFailedRequest() throws Exception {
		// identity -> the port where it serves (the broker's TLS listener included)
		Map<String, Integer> servers = new LinkedHashMap<>();
		for (String application : List.of(Landscape.CONFIG_SERVER, Landscape.DISCOVERY, Landscape.MONOLITH,
				"inventory-service", Landscape.GATEWAY)) {
			servers.put(application, Landscape.PORTS.get(application));
		}
		servers.put(BrokerTls.IDENTITY, BrokerTls.PORT);
		Map<String, BigInteger> before = new LinkedHashMap<>();
		for (Map.Entry<String, Integer> server : servers.entrySet()) {
			before.put(server.getKey(), presented(server.getValue()));
		}
		AtomicInteger answered = new AtomicInteger();
		ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
		ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
		ExecutorService shoppers = Executors.newFixedThreadPool(4);
		try {
			// reads and orders through the gateway, 20 a second, side by side, on
			// connections old and new
			AtomicInteger tick = new AtomicInteger();
			clock.scheduleAtFixedRate(() -> shoppers.execute(() -> {
				try {
					HttpResponse<String> response = (tick.incrementAndGet() % 5 == 0)
							? shopper.send(HttpRequest.newBuilder(gateway.resolve("/api/orders"))
								.header("Content-Type", "application/json")
								.timeout(Duration.ofSeconds(10))
								.POST(HttpRequest.BodyPublishers.ofString(order("4242424242424242", 1)))
								.build(), HttpResponse.BodyHandlers.ofString())
							: get(shopper, gateway, "/api/inventory/" + PRODUCT);
					if (response.statusCode() == 200 || response.statusCode() == 202) {
						answered.incrementAndGet();
					}
					else {
						failed.add(response.statusCode() + " " + response.body());
					}
				}
				catch (Exception ex) {
					failed.add(ex.toString());
				}
			}), 0, 50, TimeUnit.MILLISECONDS);
			await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() >= 40);
			// ./kit certs rotate
			landscape.mtls.rotate(landscape.env);
			// every server presents its new certificate, without a restart
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				for (Map.Entry<String, Integer> server : servers.entrySet()) {
					assertThat(presented(server.getValue())).as(server.getKey())
						.isEqualTo(Pki.read(pki.certificate(server.getKey())).getSerialNumber())
						.isNotEqualTo(before.get(server.getKey()));
				}
			});
			int rotated = answered.get();
			// the gateway presents its new certificate to the backends from its next
			// connection on (the monolith counts calls by caller and certificate), while
			// the open ones go on until they close (Tomcat closes a connection after 100
			// requests)
			String gatewaysNew = Pki.read(pki.certificate(Landscape.GATEWAY)).getSerialNumber().toString(16);
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> callsWith(Landscape.GATEWAY, gatewaysNew) > 0);
			await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() >= rotated + 40);
		}
		finally {
			// no new request; those under way finish
			clock.shutdown();
			assertThat(clock.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			shoppers.shutdown();
			assertThat(shoppers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(failed).isEmpty();
		assertThat(answered.get()).isGreaterThan(80);
		// an order placed after the rotation goes through every hop with the new
		// certificates, the broker's included
		awaitStatus(place("4242424242424242", 1), "CONFIRMED");
	}

	/** the monolith's count of calls by the caller with the certificate */
	private static double callsWith(String caller, String serial) throws Exception {
		HttpResponse<String> metrics = as(Tls.OPERATOR)
			.send(HttpRequest.newBuilder(monolith.resolve("/actuator/prometheus"))
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString(Credential.ADMIN.current().getBytes(StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(metrics.statusCode()).isEqualTo(200);
		return PrometheusText.parse(metrics.body())
			.stream()
			.filter((sample) -> sample.name().equals("kit_mtls_calls_total") && caller.equals(sample.label("caller"))
					&& serial.equals(sample.label("certificate")))
			.mapToDouble(PrometheusText.Sample::value)
			.sum();
	}

	/** the serial number of the certificate the server on the port presents */
	private static BigInteger presented(int port) throws IOException {
		SSLContext operator = Tls.context(pki.dir(), Tls.OPERATOR);
		try (SSLSocket socket = (SSLSocket) operator.getSocketFactory().createSocket("127.0.0.1", port)) {
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
		}
	}

	/** a client with the identity's certificate */
	private static HttpClient as(String identity) {
		return HttpClient.newBuilder().sslContext(Tls.context(pki.dir(), identity)).build();
	}

	private static SSLContext trusting(Path ca) throws Exception {
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		try (var in = Files.newInputStream(ca)) {
			trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	private static String place(String card, int quantity) throws Exception {
		HttpResponse<String> placed = shopper.send(HttpRequest.newBuilder(gateway.resolve("/api/orders"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(order(card, quantity)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
		String location = placed.headers().firstValue("Location").orElseThrow();
		return location.substring(location.lastIndexOf('/') + 1);
	}

	private static String order(String card, int quantity) {
		return """
				{"customerId":"c-mtls","card":"%s","lines":[{"productId":"%s","quantity":%d}]}""".formatted(card,
				PRODUCT, quantity);
	}

	private static void awaitStatus(String order, String status) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> json.readTree(get(shopper, gateway, "/api/orders/" + order).body())
				.path("status")
				.asString()
				.equals(status));
	}

	private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
