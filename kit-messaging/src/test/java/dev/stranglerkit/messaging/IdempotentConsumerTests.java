package dev.stranglerkit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receiving side against the real broker and PostgreSQL: each message id has one
 * effect, a poison message or one its handler calls invalid is dead-lettered at once
 * without holding up the others, and a failing handler is retried, without holding up the
 * others, until the retry timeout before its message is dead-lettered.
 */
@SpringBootTest
class IdempotentConsumerTests {

	static final String TYPE = "kittest-in.ThingRequested";

	static final String DEAD_LETTERS = "kit-tests-inbound.dlq";

	static final Rabbit rabbit = new Rabbit();

	final JdbcClient jdbc;

	final TransactionTemplate transactions;

	final JsonMapper json;

	final MeterRegistry meters;

	IdempotentConsumerTests(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
		this.meters = meters;
	}

	@BeforeEach
	void prepare() {
		this.jdbc.sql("CREATE TABLE IF NOT EXISTS kit_test_effect (message_id VARCHAR(255) NOT NULL, name TEXT)")
			.update();
		rabbit.purge(DEAD_LETTERS);
	}

	@AfterAll
	static void close() {
		rabbit.close();
	}

	@Test
	void appliesAMessageDeliveredTwiceOnce() {
		String id = UUID.randomUUID().toString();
		String body = Rabbit.envelope(id, TYPE, "another-service", "{\"name\": \"twice\", \"fail\": \"never\"}");
		long lagsBefore = this.meters.get("kit.messaging.lag").timer().count();

		rabbit.send(TYPE, body, id);
		rabbit.send(TYPE, body, id);
		String marker = sendValid("marker");

		awaitEffect(marker);
		assertThat(effectsOf(id)).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.get("kit.messaging.lag").timer().count() - lagsBefore >= 2);
		assertThat(this.meters.get("kit.messaging.lag").timer().count() - lagsBefore)
			.as("the lag (happened -> applied) is recorded once per applied message, not for the duplicate")
			.isEqualTo(2);
		assertThat(this.meters.get("kit.messaging.lag").timer().max(java.util.concurrent.TimeUnit.SECONDS))
			.as("the test envelope happened at 10:00 today")
			.isPositive();
	}

	@Test
	void appliesAMessageOnceWhenTwoConsumersRaceOnIt() throws Exception {
		String id = UUID.randomUUID().toString();
		EventEnvelope envelope = new EventEnvelope(id, TYPE, 1, Instant.now(), "another-service", null,
				this.json.readTree("{\"name\": \"raced\", \"fail\": \"never\"}"));
		ProcessedMessages processed = new ProcessedMessages(this.jdbc, this.transactions);
		CyclicBarrier start = new CyclicBarrier(2);
		AtomicInteger effects = new AtomicInteger();
		Runnable slowEffect = () -> {
			effects.incrementAndGet();
			this.jdbc.sql("INSERT INTO kit_test_effect (message_id, name) VALUES (?, 'raced')").param(id).update();
			this.jdbc.sql("SELECT pg_sleep(0.3)").query(Object.class).single();
		};

		List<Boolean> outcomes;
		try (ExecutorService consumers = Executors.newFixedThreadPool(2)) {
			List<Future<Boolean>> racing = List.of(consumers.submit(() -> {
				start.await();
				return processed.processOnce("kit-tests-race", envelope, slowEffect);
			}), consumers.submit(() -> {
				start.await();
				return processed.processOnce("kit-tests-race", envelope, slowEffect);
			}));
			outcomes = List.of(racing.get(0).get(), racing.get(1).get());
		}

		assertThat(outcomes).containsExactlyInAnyOrder(true, false);
		assertThat(effects).hasValue(1);
		assertThat(effectsOf(id)).isEqualTo(1);
	}

	@Test
	void deadLettersAPoisonMessageAtOnceAndGoesOnWithTheNext() {
		double before = deadLettered("malformed");
		String notJson = UUID.randomUUID().toString();
		String unknownType = UUID.randomUUID().toString();
		String payloadNotAnObject = UUID.randomUUID().toString();

		rabbit.send(TYPE, "this is not JSON {", notJson);
		rabbit.send("kittest-in.SomethingUnknown",
				Rabbit.envelope(unknownType, "kittest-in.SomethingUnknown", "another-service", "{}"), unknownType);
		rabbit.send(TYPE, Rabbit.envelope(payloadNotAnObject, TYPE, "another-service", "[1, 2]"), payloadNotAnObject);
		String next = sendValid("after the poison");

		awaitEffect(next);
		List<String> deadLettered = await().atMost(Duration.ofSeconds(10))
			.until(() -> rabbit.drain(DEAD_LETTERS, Duration.ofMillis(500))
				.stream()
				.map((Message m) -> m.getMessageProperties().getMessageId())
				.toList(), (ids) -> !ids.isEmpty());
		assertThat(deadLettered).containsExactlyInAnyOrder(notJson, unknownType, payloadNotAnObject);
		assertThat(deadLettered("malformed") - before).isEqualTo(3);
	}

	@Test
	void retriesAFailingHandlerUntilTheRetryTimeoutWithoutHoldingUpTheOthersThenDeadLettersItsMessage() {
		double before = deadLettered("handler-failed");
		double retriedBefore = retried();
		int callsBefore = MessagingTestApplication.handlerCalls.get();
		String failing = UUID.randomUUID().toString();
		long sent = System.currentTimeMillis();

		rabbit.send(TYPE, Rabbit.envelope(failing, TYPE, "another-service", "{\"name\": \"x\", \"fail\": \"always\"}"),
				failing);
		String next = sendValid("behind the failing one");

		awaitEffect(next);
		assertThat(rabbit.poll(DEAD_LETTERS)).as("still being retried").isNull();
		Message deadLettered = rabbit.receive(DEAD_LETTERS, Duration.ofSeconds(20));
		long gaveUpAfter = System.currentTimeMillis() - sent;
		assertThat(deadLettered).isNotNull();
		assertThat(deadLettered.getMessageProperties().getMessageId()).isEqualTo(failing);
		assertThat(gaveUpAfter).as("dead-lettered only after kit.messaging.consumer.retry-timeout (3 s)")
			.isGreaterThanOrEqualTo(3_000);
		assertThat(retried() - retriedBefore).as("put back to the retry queue, 300 ms at a time").isGreaterThan(2);
		assertThat(MessagingTestApplication.handlerCalls.get() - callsBefore)
			.as("three attempts in a row per delivery, several deliveries")
			.isGreaterThan(6);
		assertThat(deadLettered("handler-failed") - before).isEqualTo(1);
		assertThat(effectsOf(failing)).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM kit_processed_message WHERE message_id = ?")
			.param(failing)
			.query(Long.class)
			.single()).as("a failed message is not recorded as processed").isZero();
	}

	@Test
	void appliesAMessageOnceWhoseHandlerFailedForAWhile() {
		double retriedBefore = retried();
		double deadLetteredBefore = deadLettered("handler-failed");
		String id = UUID.randomUUID().toString();
		long failsUntil = System.currentTimeMillis() + 1_500;

		rabbit.send(TYPE, Rabbit.envelope(id, TYPE, "another-service",
				"{\"name\": \"flaky\", \"fail\": \"fail-before:%d\"}".formatted(failsUntil)), id);

		awaitEffect(id);
		assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(failsUntil);
		assertThat(retried() - retriedBefore).isPositive();
		assertThat(deadLettered("handler-failed")).isEqualTo(deadLetteredBefore);
		assertThat(rabbit.drain(DEAD_LETTERS, Duration.ofMillis(300))).isEmpty();
	}

	@Test
	void deadLettersAMessageItsHandlerCallsInvalidAtOnce() {
		double before = deadLettered("invalid");
		int callsBefore = MessagingTestApplication.handlerCalls.get();
		String invalid = UUID.randomUUID().toString();

		rabbit.send(TYPE, Rabbit.envelope(invalid, TYPE, "another-service", "{\"name\": \"x\", \"fail\": \"invalid\"}"),
				invalid);

		Message deadLettered = rabbit.receive(DEAD_LETTERS, Duration.ofSeconds(10));
		assertThat(deadLettered).isNotNull();
		assertThat(deadLettered.getMessageProperties().getMessageId()).isEqualTo(invalid);
		assertThat(MessagingTestApplication.handlerCalls.get() - callsBefore).as("attempts").isEqualTo(1);
		assertThat(deadLettered("invalid") - before).isEqualTo(1);
		assertThat(effectsOf(invalid)).isZero();
	}

	@Test
	void runsEveryHandlerOfAMessageType() {
		String id = sendValid("for both");

		awaitEffect(id);
		assertThat(MessagingTestApplication.secondHandlerSaw).contains(id);
	}

	@Test
	void putsAMessageThatIsNotReadyBackToWaitThenAppliesItOnceWithoutDeadLettering() {
		double deferredBefore = this.meters.get("kit.messaging.deferred").counter().count();
		double failedBefore = deadLettered("handler-failed") + deadLettered("not-ready");
		String id = UUID.randomUUID().toString();
		long readyAt = System.currentTimeMillis() + 2_000;

		rabbit.send(TYPE, Rabbit.envelope(id, TYPE, "another-service",
				"{\"name\": \"later\", \"fail\": \"not-before:%d\"}".formatted(readyAt)), id);
		String next = sendValid("not held up by it");

		awaitEffect(next);
		assertThat(effectsOf(id)).as("not applied before it is ready").isZero();
		awaitEffect(id);
		assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(readyAt);
		assertThat(this.meters.get("kit.messaging.deferred").counter().count() - deferredBefore)
			.as("deferred while it was not ready, 500 ms at a time")
			.isBetween(2.0, 6.0);
		assertThat(deadLettered("handler-failed") + deadLettered("not-ready")).isEqualTo(failedBefore);
		assertThat(rabbit.drain(DEAD_LETTERS, Duration.ofMillis(300))).isEmpty();
	}

	@Test
	void skipsMessagesThisApplicationPublishedItself() {
		String own = UUID.randomUUID().toString();

		rabbit.send(TYPE, Rabbit.envelope(own, TYPE, "kit-tests", "{\"name\": \"own\", \"fail\": \"never\"}"), own);
		String marker = sendValid("after our own");

		awaitEffect(marker);
		assertThat(effectsOf(own)).isZero();
	}

	private String sendValid(String name) {
		String id = UUID.randomUUID().toString();
		rabbit.send(TYPE,
				Rabbit.envelope(id, TYPE, "another-service", "{\"name\": \"%s\", \"fail\": \"never\"}".formatted(name)),
				id);
		return id;
	}

	private void awaitEffect(String messageId) {
		await().atMost(Duration.ofSeconds(15)).until(() -> effectsOf(messageId) == 1);
	}

	private long effectsOf(String messageId) {
		return this.jdbc.sql("SELECT count(*) FROM kit_test_effect WHERE message_id = ?")
			.param(messageId)
			.query(Long.class)
			.single();
	}

	private double retried() {
		return this.meters.get("kit.messaging.retried").counter().count();
	}

	private double deadLettered(String reason) {
		return this.meters.get("kit.messaging.dead.lettered").tag("reason", reason).counter().count();
	}

}
