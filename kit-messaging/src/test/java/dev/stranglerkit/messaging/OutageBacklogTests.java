package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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
 * The backlog a broker outage leaves is due as soon as the broker confirms a send again,
 * whatever each publication's back-off says. Here every publication backs off for ten
 * minutes after a failed resubmission, so a backlog that waited for its back-off would
 * not arrive within this test.
 * <p>
 * How fast it drains, against the rate the outbox sustains with the broker up, is a
 * benchmark's figure ({@code ./kit bench drain}, benchmarks/results/drain.md), not a
 * test's: on a shared machine a timed assertion fails on noise.
 */
@SpringBootTest(properties = { "kit.messaging.resubmission.backoff=10m", "kit.messaging.resubmission.max-backoff=10m" })
@DirtiesContext // its broker connection is gone after the test: no later test may share
				// it
class OutageBacklogTests {

	static final TcpProxy proxy = new TcpProxy(System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"), 5672);

	static final Rabbit rabbit = new Rabbit();

	final ApplicationEventPublisher events;

	final TransactionTemplate transactions;

	final JdbcClient jdbc;

	OutageBacklogTests(ApplicationEventPublisher events, TransactionTemplate transactions, JdbcClient jdbc) {
		this.events = events;
		this.transactions = transactions;
		this.jdbc = jdbc;
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
	void aBacklogIsDueAsSoonAsTheBrokerIsBackWhateverItsBackOffSays() throws Exception {
		int count = 1_000;
		rabbit.purge(OutboxRelayTests.TAP);
		proxy.cut();
		List<ThingHappened> backlog = things("backlog", count);
		publishFromFourThreads(backlog);
		UUID[] backlogIds = ids(backlog);
		assertThat(backlogIds).hasSize(count);
		// every publication has failed a resubmission too, and backs off for ten minutes
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc.sql("""
					SELECT count(*) FROM event_publication WHERE id = ANY(?) AND completion_date IS NULL
					AND status = 'FAILED' AND completion_attempts >= 1""")
				.param(backlogIds)
				.query(Long.class)
				.single() == count);

		proxy.restore();
		// the first event after the outage: the broker's confirm of it tells the relay
		// that
		// the broker is back
		ThingHappened after = new ThingHappened("after the outage");
		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(after));

		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(incomplete(backlogIds)).isZero());
		Set<String> arrived = new HashSet<>();
		List<String> expected = new ArrayList<>(backlog.stream().map((event) -> event.eventId().toString()).toList());
		expected.add(after.eventId().toString());
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(300))
				.forEach((m) -> arrived.add(m.getMessageProperties().getMessageId()));
			return arrived.containsAll(expected);
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

	private UUID[] ids(List<? extends IntegrationEvent> events) {
		return new OutboxPublications(this.jdbc).ids(events);
	}

	private long incomplete(UUID[] publications) {
		return new OutboxPublications(this.jdbc).incomplete(publications);
	}

}
