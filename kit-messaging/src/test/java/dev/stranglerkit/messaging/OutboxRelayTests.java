package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import dev.stranglerkit.messaging.MessagingTestApplication.IgnoredThingHappened;
import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;
import dev.stranglerkit.messaging.MessagingTestApplication.LateThingHappened;
import dev.stranglerkit.messaging.MessagingTestApplication.UnboundThingHappened;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay against the real broker: a message leaves only after its transaction
 * committed, carries a stable id, and a publication the broker did not take stays
 * incomplete until it can be delivered.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class OutboxRelayTests {

	static final String TAP = "kit-tests-tap";

	static final Rabbit rabbit = new Rabbit();

	final ApplicationEventPublisher events;

	final TransactionTemplate transactions;

	final JdbcClient jdbc;

	final JsonMapper json;

	final MeterRegistry meters;

	final AsyncTaskExecutor applicationTaskExecutor;

	OutboxRelayTests(ApplicationEventPublisher events, TransactionTemplate transactions, JdbcClient jdbc,
			JsonMapper json, MeterRegistry meters,
			@Qualifier("applicationTaskExecutor") AsyncTaskExecutor applicationTaskExecutor) {
		this.applicationTaskExecutor = applicationTaskExecutor;
		this.events = events;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.json = json;
		this.meters = meters;
	}

	@BeforeEach
	void emptyTap() {
		rabbit.purge(TAP);
	}

	@AfterAll
	static void close() {
		rabbit.close();
	}

	@Test
	void sendsTheEventOnlyAfterItsTransactionCommitted() {
		ThingHappened event = new ThingHappened("committed");

		this.transactions.executeWithoutResult((tx) -> {
			this.events.publishEvent(event);
			assertThat(rabbit.receive(TAP, Duration.ofMillis(1500))).as("a message before the commit").isNull();
		});

		Message message = rabbit.receive(TAP, Duration.ofSeconds(10));
		assertThat(message).isNotNull();
		JsonNode envelope = this.json.readTree(message.getBody());
		assertThat(envelope.get("messageId").asString()).isEqualTo(event.eventId().toString());
		assertThat(envelope.get("type").asString()).isEqualTo("kittest.ThingHappened");
		assertThat(envelope.get("schemaVersion").asInt()).isEqualTo(1);
		assertThat(envelope.get("source").asString()).isEqualTo("kit-tests");
		assertThat(envelope.get("occurredAt").asString()).isEqualTo(event.occurredAt().toString());
		assertThat(envelope.get("payload").get("name").asString()).isEqualTo("committed");
		assertThat(envelope.get("payload").has("eventId")).as("the id is the envelope's, not the payload's").isFalse();
		assertThat(message.getMessageProperties().getMessageId()).isEqualTo(event.eventId().toString());
		assertThat(message.getMessageProperties().getType()).isEqualTo("kittest.ThingHappened");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(incompletePublicationsOf(event.eventId().toString())).isZero());
	}

	@Test
	void sendsNothingForARolledBackTransaction() {
		ThingHappened event = new ThingHappened("rolled back");

		this.transactions.executeWithoutResult((tx) -> {
			this.events.publishEvent(event);
			tx.setRollbackOnly();
		});
		this.transactions
			.executeWithoutResult((tx) -> this.events.publishEvent(new ThingHappened("a later, committed event")));

		Message first = rabbit.receive(TAP, Duration.ofSeconds(10));
		assertThat(first).isNotNull();
		assertThat(new String(first.getBody())).contains("a later, committed event");
		assertThat(rabbit.drain(TAP, Duration.ofSeconds(2))).isEmpty();
		assertThat(this.jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%" + event.eventId() + "%")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void relaysWhileEveryThreadOfTheApplicationsTaskExecutorIsBusy() {
		// The application's own asynchronous module listeners run on its task executor
		// (eight threads) and may hold all of them; the relay, which waits for the
		// broker's confirms, runs on an executor of its own.
		CountDownLatch release = new CountDownLatch(1);
		IntStream.range(0, 16).forEach((i) -> this.applicationTaskExecutor.submit(() -> {
			release.await();
			return null;
		}));
		try {
			ThingHappened event = new ThingHappened("while the task executor is busy");
			this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event));

			Message message = rabbit.receive(TAP, Duration.ofSeconds(10));
			assertThat(message).as("the message, while the task executor is busy").isNotNull();
			assertThat(message.getMessageProperties().getMessageId()).isEqualTo(event.eventId().toString());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(incompletePublicationsOf(event.eventId().toString())).isZero());
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void keepsAnEventNoQueueIsSubscribedToInTheProcess() {
		IgnoredThingHappened event = new IgnoredThingHappened(java.util.UUID.randomUUID(), java.time.Instant.now());

		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event));

		assertThat(this.jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%" + event.eventId() + "%")
			.query(Long.class)
			.single()).as("no publication for the relay").isZero();
	}

	@Test
	void leavesAnUnroutableMessageIncompleteUntilAQueueIsBound(CapturedOutput output) {
		// The relay's admin declares the whole topology whenever it opens a connection
		// (so a restarted broker has every queue); let it connect before unbinding.
		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(new ThingHappened("connect")));
		assertThat(rabbit.receive(TAP, Duration.ofSeconds(10))).isNotNull();
		Queue queue = new Queue("kit-tests-unbound");
		rabbit.purge(queue.getName());
		Binding binding = BindingBuilder.bind(queue).to(new TopicExchange(Rabbit.EXCHANGE)).with("kitunbound.Thing");
		rabbit.admin.removeBinding(binding);
		UnboundThingHappened event = new UnboundThingHappened("nobody is bound");

		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getOut()).contains(event.eventId().toString())
				.contains("returned by the broker as unroutable")
				.contains("no queue is bound to exchange 'kit-tests.events' with routing key 'kitunbound.Thing'"));
		assertThat(incompletePublicationsOf(event.eventId().toString())).isEqualTo(1);
		assertThat(this.meters.get("kit.outbox.incomplete").gauge().value()).isGreaterThanOrEqualTo(1);

		rabbit.admin.declareBinding(binding);

		Message delivered = rabbit.receive(queue.getName(), Duration.ofSeconds(15));
		assertThat(delivered).as("resubmitted once a queue is bound").isNotNull();
		assertThat(delivered.getMessageProperties().getMessageId()).isEqualTo(event.eventId().toString());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(incompletePublicationsOf(event.eventId().toString())).isZero());
	}

	/**
	 * Publications that can never succeed (no queue is bound to their routing key), more
	 * than one resubmission round takes, do not keep newer failed publications from being
	 * delivered: each backs off on its own, and those with fewer attempts go first.
	 */
	@Test
	void publicationsThatKeepFailingDoNotHoldUpNewerOnes() {
		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(new ThingHappened("connect")));
		assertThat(rabbit.receive(TAP, Duration.ofSeconds(10))).isNotNull();
		Binding poisonBinding = binding("kit-tests-unbound", "kitunbound.Thing");
		Binding lateBinding = binding("kit-tests-late", "kitlate.Thing");
		rabbit.admin.removeBinding(poisonBinding);
		rabbit.admin.removeBinding(lateBinding);
		List<UnboundThingHappened> poison = IntStream.range(0, 300)
			.mapToObj((i) -> new UnboundThingHappened("poison " + i))
			.toList();
		try {
			this.transactions.executeWithoutResult((tx) -> poison.forEach(this.events::publishEvent));
			await().atMost(Duration.ofSeconds(30))
				.until(() -> failedPublicationsOf(poison, "AND completion_attempts >= 1") == poison.size());
			List<LateThingHappened> newer = IntStream.range(0, 20)
				.mapToObj((i) -> new LateThingHappened("after the poison " + i))
				.toList();
			newer.forEach((event) -> this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event)));
			await().atMost(Duration.ofSeconds(20)).until(() -> failedPublicationsOf(newer, "") == newer.size());

			rabbit.admin.declareBinding(lateBinding);

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(newer)
					.allSatisfy((event) -> assertThat(incompletePublicationsOf(event.eventId().toString())).isZero()));
			assertThat(failedPublicationsOf(poison, "")).as("the poison publications are still incomplete")
				.isEqualTo(poison.size());
		}
		finally {
			// they would be retried by every later run
			poison.forEach((event) -> this.jdbc.sql("DELETE FROM event_publication WHERE serialized_event LIKE ?")
				.param("%" + event.eventId() + "%")
				.update());
			rabbit.admin.declareBinding(poisonBinding);
			rabbit.admin.declareBinding(lateBinding);
			rabbit.purge("kit-tests-late");
		}
	}

	private static Binding binding(String queue, String routingKey) {
		return BindingBuilder.bind(new Queue(queue)).to(new TopicExchange(Rabbit.EXCHANGE)).with(routingKey);
	}

	/** Incomplete publications of the events that failed or are being resubmitted. */
	private long failedPublicationsOf(List<? extends IntegrationEvent> events, String condition) {
		return events.stream()
			.filter((event) -> this.jdbc.sql("""
					SELECT count(*) FROM event_publication WHERE serialized_event LIKE ? AND completion_date IS NULL
					AND status IN ('FAILED', 'RESUBMITTED', 'PROCESSING') """ + condition)
				.param("%" + event.eventId() + "%")
				.query(Long.class)
				.single() == 1)
			.count();
	}

	private long incompletePublicationsOf(String eventId) {
		return this.jdbc.sql("""
				SELECT count(*) FROM event_publication
				WHERE serialized_event LIKE ? AND completion_date IS NULL""")
			.param("%" + eventId + "%")
			.query(Long.class)
			.single();
	}

}
