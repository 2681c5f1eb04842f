package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

	/**
	 * A backlog of 1,000 publications left by an outage drains at no less than half the
	 * rate at which the same application relays events while the broker is up, measured
	 * in the same run: every publication that failed during the outage is due as soon as
	 * the broker is back, whatever its own back-off says, and rounds follow each other at
	 * once while they find due publications.
	 */
	@Test
	void drainsTheBacklogOfAnOutageAtNoLessThanHalfTheSustainedRate() throws Exception {
		int count = 1_000;
		rabbit.purge(OutboxRelayTests.TAP);
		List<ThingHappened> sustained = things("sustained", count);
		long start = System.nanoTime();
		publishFromFourThreads(sustained);
		UUID[] sustainedIds = ids(sustained);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> incomplete(sustainedIds) == 0);
		double sustainedRate = count / ((System.nanoTime() - start) / 1e9);

		proxy.cut();
		List<ThingHappened> backlog = things("backlog", count);
		publishFromFourThreads(backlog);
		UUID[] backlogIds = ids(backlog);
		await().atMost(Duration.ofSeconds(60)).until(() -> failed(backlogIds) == count);
		// the outage lasts long enough for every publication to back off a few times
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc.sql("SELECT min(completion_attempts) FROM event_publication WHERE id = ANY(?)")
				.param(backlogIds)
				.query(Integer.class)
				.optional()
				.orElse(0) >= 3);
		proxy.restore();
		long restored = System.nanoTime();
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> incomplete(backlogIds) == 0);
		double drainRate = count / ((System.nanoTime() - restored) / 1e9);

		System.out.printf("[outbox] sustained %.0f events/s, backlog of %d drained at %.0f events/s (%.2f)%n",
				sustainedRate, count, drainRate, drainRate / sustainedRate);
		assertThat(drainRate).as("drain rate after an outage, against %.0f events/s sustained", sustainedRate)
			.isGreaterThanOrEqualTo(sustainedRate / 2);
		Set<String> arrived = new HashSet<>();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(300))
				.forEach((m) -> arrived.add(m.getMessageProperties().getMessageId()));
			return arrived.containsAll(backlog.stream().map((event) -> event.eventId().toString()).toList());
		});
	}

	private void publishFromFourThreads(List<ThingHappened> things) throws Exception {
		try (ExecutorService publishers = Executors.newFixedThreadPool(4)) {
			List<Future<?>> published = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				List<ThingHappened> share = things.subList(i * things.size() / 4, (i + 1) * things.size() / 4);
				published.add(publishers.submit(() -> share.forEach(
						(event) -> this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event)))));
			}
			for (Future<?> done : published) {
				done.get();
			}
		}
	}

	private static List<ThingHappened> things(String name, int count) {
		return IntStream.range(0, count).mapToObj((i) -> new ThingHappened(name + " " + i)).toList();
	}

	/** The ids of the relay's publications of the events. */
	private UUID[] ids(List<? extends IntegrationEvent> events) {
		List<String> eventIds = events.stream().map((event) -> event.eventId().toString()).toList();
		return this.jdbc.sql("SELECT id, serialized_event FROM event_publication WHERE listener_id = ?")
			.param(OutboxRelay.LISTENER_ID)
			.query((row, n) -> eventIds.stream().anyMatch(row.getString(2)::contains) ? row.getObject(1, UUID.class)
					: null)
			.list()
			.stream()
			.filter(java.util.Objects::nonNull)
			.toArray(UUID[]::new);
	}

	private long incomplete(UUID[] publications) {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE id = ANY(?) AND completion_date IS NULL")
			.param(publications)
			.query(Long.class)
			.single();
	}

	private long failed(UUID[] publications) {
		return this.jdbc.sql("""
				SELECT count(*) FROM event_publication WHERE id = ANY(?) AND completion_date IS NULL
				AND status IN ('FAILED', 'RESUBMITTED')""").param(publications).query(Long.class).single();
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
