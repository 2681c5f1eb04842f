package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL unreachable for the consuming application (its connections go through a
 * proxy the test cuts, so every connection drops and new ones are refused): the messages
 * that arrive meanwhile are retried, not dead-lettered, and each is applied once when the
 * database is back.
 */
@SpringBootTest(
		properties = { "spring.datasource.hikari.connection-timeout=1000", "kit.messaging.consumer.max-attempts=1",
				"kit.messaging.consumer.retry-delay=500ms", "kit.messaging.consumer.retry-timeout=2m" })
@DirtiesContext // its connection pool saw the outage: no later test may share it
class DatabaseOutageTests {

	static final String TYPE = IdempotentConsumerTests.TYPE;

	static final String HOST = System.getenv().getOrDefault("SHOP_DB_HOST", "127.0.0.1");

	static final int PORT = Integer.parseInt(System.getenv().getOrDefault("SHOP_DB_PORT", "5432"));

	static final TcpProxy proxy = new TcpProxy(HOST, PORT);

	static final Rabbit rabbit = new Rabbit();

	/** The test's own view of the database, not through the proxy. */
	final JdbcClient database;

	final MeterRegistry meters;

	DatabaseOutageTests(MeterRegistry meters, Environment environment) {
		this.meters = meters;
		this.database = JdbcClient.create(new DriverManagerDataSource(url(HOST, PORT),
				environment.getRequiredProperty("spring.datasource.username"),
				environment.getProperty("spring.datasource.password", "")));
	}

	@DynamicPropertySource
	static void connectThroughProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> url("127.0.0.1", proxy.port()));
	}

	static String url(String host, int port) {
		return "jdbc:postgresql://%s:%d/%s".formatted(host, port,
				System.getenv().getOrDefault("SHOP_TEST_DB_NAME", "shop_test"));
	}

	@AfterAll
	static void close() {
		proxy.close();
		rabbit.close();
	}

	@Test
	void retriesTheMessagesThatArriveWhileTheDatabaseIsDownAndAppliesEachOnceAfterwards() {
		this.database.sql("CREATE TABLE IF NOT EXISTS kit_test_effect (message_id VARCHAR(255) NOT NULL, name TEXT)")
			.update();
		rabbit.purge(IdempotentConsumerTests.DEAD_LETTERS);
		double retriedBefore = counter("kit.messaging.retried");
		double deadLetteredBefore = counter("kit.messaging.dead.lettered");
		proxy.cut();

		List<String> sent = IntStream.range(0, 10).mapToObj((i) -> {
			String id = UUID.randomUUID().toString();
			rabbit.send(TYPE, Rabbit.envelope(id, TYPE, "another-service",
					"{\"name\": \"during the outage %d\", \"fail\": \"never\"}".formatted(i)), id);
			return id;
		}).toList();

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(counter("kit.messaging.retried") - retriedBefore)
				.as("every message failed and was put back to be retried")
				.isGreaterThanOrEqualTo(sent.size()));
		assertThat(effects(sent)).isZero();

		proxy.restore();

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(effects(sent)).isEqualTo(sent.size()));
		assertThat(sent).allSatisfy((id) -> assertThat(effectsOf(id)).as("applied once").isEqualTo(1));
		assertThat(counter("kit.messaging.dead.lettered")).as("nothing dead-lettered").isEqualTo(deadLetteredBefore);
		assertThat(rabbit.drain(IdempotentConsumerTests.DEAD_LETTERS, Duration.ofMillis(300))).isEmpty();
	}

	private long effects(List<String> ids) {
		return ids.stream().mapToLong(this::effectsOf).sum();
	}

	private long effectsOf(String messageId) {
		return this.database.sql("SELECT count(*) FROM kit_test_effect WHERE message_id = ?")
			.param(messageId)
			.query(Long.class)
			.single();
	}

	private double counter(String name) {
		return this.meters.get(name).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

}
