package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ unreachable for the application (its connection goes through a proxy the test
 * cuts): the work that publishes events still commits, the events wait in the outbox, and
 * every one of them arrives, with its id unchanged, once the broker is reachable again.
 */
@SpringBootTest
@DirtiesContext // its broker connection is gone after the test: no later test may share
				// it
class BrokerOutageTests {

	static final TcpProxy proxy = new TcpProxy(System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"), 5672);

	static final Rabbit rabbit = new Rabbit();

	final ApplicationEventPublisher events;

	final TransactionTemplate transactions;

	final JdbcClient jdbc;

	final MeterRegistry meters;

	BrokerOutageTests(ApplicationEventPublisher events, TransactionTemplate transactions, JdbcClient jdbc,
			MeterRegistry meters) {
		this.events = events;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.meters = meters;
	}

	@DynamicPropertySource
	static void connectThroughProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.port", proxy::port);
	}

	@AfterAll
	static void close() {
		proxy.close();
		rabbit.close();
	}

	@Test
	void deliversEveryEventPublishedWhileTheBrokerWasUnreachable() {
		rabbit.purge(OutboxRelayTests.TAP);
		proxy.cut();

		List<ThingHappened> published = IntStream.range(0, 20)
			.mapToObj((i) -> new ThingHappened("outage " + i))
			.toList();
		published.forEach((event) -> this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event)));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(failedPublications(published)).isEqualTo(20));
		assertThat(rabbit.receive(OutboxRelayTests.TAP, Duration.ofSeconds(1))).isNull();
		assertThat(this.meters.get("kit.outbox.incomplete").gauge().value()).isGreaterThanOrEqualTo(20);
		assertThat(this.meters.get("kit.outbox.oldest.age").gauge().value()).isPositive();

		proxy.restore();

		List<String> arrived = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> rabbit.drain(OutboxRelayTests.TAP, Duration.ofSeconds(1))
				.stream()
				.map((Message m) -> m.getMessageProperties().getMessageId())
				.toList(), (ids) -> !ids.isEmpty());
		List<String> all = new java.util.ArrayList<>(arrived);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(500))
				.forEach((m) -> all.add(m.getMessageProperties().getMessageId()));
			return all.containsAll(published.stream().map((e) -> e.eventId().toString()).toList());
		});
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(incompletePublications(published)).isZero());
	}

	private long failedPublications(List<ThingHappened> events) {
		return countPublications(events, "AND status = 'FAILED'");
	}

	private long incompletePublications(List<ThingHappened> events) {
		return countPublications(events, "");
	}

	private long countPublications(List<ThingHappened> events, String condition) {
		return events.stream()
			.filter((event) -> this.jdbc
				.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ? AND completion_date IS NULL "
						+ condition)
				.param("%" + event.eventId() + "%")
				.query(Long.class)
				.single() == 1)
			.count();
	}

}
