package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one application share its outbox table, as two monoliths do
 * ({@code ./kit scale monolith 2}): each sends what it published, and neither sends the
 * other's while it is in flight. Here this test's instance gets its broker's answers a
 * second late (a slow network: its publications wait that long for their confirms) while
 * a second instance of the same application, in the same JVM but with a context, a broker
 * connection and a relay of its own, publishes beside it and runs Spring Modulith's
 * staleness check (every 2 s, stale after 15 s) and the kit's resubmission of failed
 * publications (every second) over the same table. Every event arrives exactly once. The
 * control: with the other instance's staleness times below the time in flight, the slow
 * publications arrive twice; an application refuses to start so configured against its
 * own confirm timeout.
 */
@SpringBootTest
@DirtiesContext // its broker connection goes through a proxy of its own
class TwoInstancesShareTheOutboxTests {

	static final TcpProxy proxy = new TcpProxy(System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"), 5672);

	static final Rabbit rabbit = new Rabbit();

	/**
	 * how late this instance's broker answers: its publications wait that long for their
	 * confirms, within the relay's confirm timeout (5 s in these tests)
	 */
	static final Duration SLOW = Duration.ofSeconds(1);

	final ApplicationEventPublisher events;

	final TransactionTemplate transactions;

	final JdbcClient jdbc;

	TwoInstancesShareTheOutboxTests(ApplicationEventPublisher events, TransactionTemplate transactions,
			JdbcClient jdbc) {
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
	void neitherInstanceSendsTheOthersPublicationsWhileTheyAreInFlight() throws Exception {
		Run run = publishOnBoth();
		assertThat(run.arrived().keySet()).containsExactlyInAnyOrderElementsOf(run.expected());
		assertThat(run.arrived()).as("messages per event").allSatisfy((id, count) -> assertThat(count).isOne());
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM event_publication WHERE id = ANY(?)
				AND completion_attempts IS DISTINCT FROM 1""").param(run.publications()).query(Long.class).single())
			.as("publications sent more than once (each send counts an attempt)")
			.isZero();
	}

	/**
	 * The control: the same run, but the other instance's staleness times are shorter
	 * than the slow publications' time in flight (its start-up check lets it, since its
	 * own confirm timeout is shorter still): it fails them and sends them again. So the
	 * test above would see a second send.
	 */
	@Test
	void anInstanceWhoseStalenessTimesAreShorterThanATimeInFlightSendsThePublicationsAgain() throws Exception {
		Run run = publishOnBoth("--spring.modulith.events.staleness.check-interval=200ms",
				"--spring.modulith.events.staleness.processing=500ms",
				"--spring.modulith.events.staleness.published=500ms",
				"--spring.modulith.events.staleness.resubmitted=500ms", "--kit.messaging.outbox.confirm-timeout=250ms");
		assertThat(run.arrived().keySet()).as("nothing lost").containsAll(run.expected());
		assertThat(run.slow()).as("slow events that arrived twice or more")
			.anyMatch((event) -> run.arrived().get(event) > 1);
	}

	/**
	 * What a run sent: the events expected (this instance's slow ones, the other's quick
	 * ones), their publications, and how often each event's message arrived.
	 */
	record Run(List<String> slow, List<String> expected, UUID[] publications, Map<String, Integer> arrived) {
	}

	/**
	 * A hundred events published here with the broker's answers late, a hundred by the
	 * other instance beside them, until every publication is complete; then every message
	 * that arrived.
	 * @param otherArguments the other instance's settings
	 */
	private Run publishOnBoth(String... otherArguments) throws Exception {
		rabbit.purge(OutboxRelayTests.TAP);
		List<String> arguments = new ArrayList<>(List.of(otherArguments));
		arguments.add("--spring.jmx.enabled=false");
		try (ConfigurableApplicationContext other = new SpringApplicationBuilder(MessagingTestApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new))) {
			TransactionTemplate otherTransactions = other.getBean(TransactionTemplate.class);
			// the relay's broker channels open before the network slows down (opening one
			// takes two round trips, each of which would be late too)
			List<ThingHappened> warmUp = things("warm-up", 100);
			publish(warmUp, this.transactions, this.events, 4);
			UUID[] warmUpIds = ids(warmUp);
			await().atMost(Duration.ofSeconds(30)).until(() -> incomplete(warmUpIds) == 0);
			rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(300));

			proxy.delayAnswers(SLOW);
			List<ThingHappened> slow = things("slow", 100);
			List<ThingHappened> quick = things("quick", 100);
			try (ExecutorService instances = Executors.newFixedThreadPool(2)) {
				Future<?> here = instances.submit(() -> publish(slow, this.transactions, this.events, 2));
				Future<?> there = instances.submit(() -> publish(quick, otherTransactions, other, 2));
				here.get();
				there.get();
			}
			UUID[] slowIds = ids(slow);
			UUID[] all = ids(slow, quick);
			assertThat(all).hasSize(slow.size() + quick.size());
			// this instance's publications are in flight, awaiting their late confirms,
			// while the other instance's staleness check and resubmission run
			assertThat(incomplete(slowIds)).as("this instance's publications in flight").isPositive();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> incomplete(all) == 0);

			Map<String, Integer> arrived = new HashMap<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(300))
					.forEach(
							(message) -> arrived.merge(message.getMessageProperties().getMessageId(), 1, Integer::sum));
				return arrived.size() >= all.length;
			});
			// a last look for a late second send
			rabbit.drain(OutboxRelayTests.TAP, Duration.ofSeconds(2))
				.forEach((message) -> arrived.merge(message.getMessageProperties().getMessageId(), 1, Integer::sum));
			List<String> slowEvents = slow.stream().map((event) -> event.eventId().toString()).toList();
			List<String> expected = new ArrayList<>(slowEvents);
			quick.forEach((event) -> expected.add(event.eventId().toString()));
			return new Run(slowEvents, expected, all, arrived);
		}
		finally {
			proxy.delayAnswers(Duration.ZERO);
		}
	}

	@Test
	void anInstanceRefusesToStartWhenItsStalenessCheckWouldFailAPublicationInFlight() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.modulith.events.staleness.processing",
				"19s");
		assertThatIllegalStateException()
			.isThrownBy(() -> ConfirmingRabbitTransport.requireStalenessAboveConfirmTimeout(environment,
					Duration.ofSeconds(10)))
			.withMessageContaining("spring.modulith.events.staleness.processing (PT19S) must be at least twice "
					+ "kit.messaging.outbox.confirm-timeout (PT10S)");
		ConfirmingRabbitTransport.requireStalenessAboveConfirmTimeout(
				environment.withProperty("spring.modulith.events.staleness.processing", "20s"), Duration.ofSeconds(10));
		ConfirmingRabbitTransport.requireStalenessAboveConfirmTimeout(new MockEnvironment(), Duration.ofSeconds(10));
	}

	/** Publishes each event in a transaction of its own, from a few threads. */
	private static void publish(List<ThingHappened> events, TransactionTemplate transactions,
			ApplicationEventPublisher publisher, int threads) {
		try (ExecutorService publishers = Executors.newFixedThreadPool(threads)) {
			for (int i = 0; i < threads; i++) {
				List<ThingHappened> share = events.subList(i * events.size() / threads,
						(i + 1) * events.size() / threads);
				publishers.submit(() -> share
					.forEach((event) -> transactions.executeWithoutResult((tx) -> publisher.publishEvent(event))));
			}
		}
	}

	private long incomplete(UUID[] ids) {
		return new OutboxPublications(this.jdbc).incomplete(ids);
	}

	private static List<ThingHappened> things(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> new ThingHappened(prefix + "-" + i)).toList();
	}

	@SafeVarargs
	private UUID[] ids(List<ThingHappened>... events) {
		return new OutboxPublications(this.jdbc).ids(java.util.Arrays.stream(events).flatMap(List::stream).toList());
	}

}
