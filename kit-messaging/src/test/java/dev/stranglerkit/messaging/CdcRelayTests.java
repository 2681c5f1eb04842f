package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CDC relay against the real PostgreSQL and RabbitMQ: an event leaves only once its
 * transaction committed (read from the write-ahead log), never after a rollback, in the
 * outbox relay's message form; with the broker unreachable nothing is completed and the
 * slot's position stays behind the undelivered events, and every one arrives once the
 * broker is back; a publication read from the log before other sessions can see it is
 * completed once they can.
 */
@SpringBootTest(properties = { "kit.messaging.relay=cdc", "kit.messaging.cdc.slot=" + CdcRelayTests.SLOT,
		"kit.messaging.cdc.heartbeat=1s" })
@DirtiesContext // the relay holds the slot; the slot is dropped after the class
class CdcRelayTests {

	static final String SLOT = "kit_outbox_cdc_tests";

	static final TcpProxy proxy = new TcpProxy(System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"), 5672);

	static final Rabbit rabbit = new Rabbit();

	final ApplicationEventPublisher events;

	final TransactionTemplate transactions;

	final JdbcClient jdbc;

	final JsonMapper json;

	final CdcRelay relay;

	CdcRelayTests(ApplicationEventPublisher events, TransactionTemplate transactions, JdbcClient jdbc, JsonMapper json,
			CdcRelay relay) {
		this.events = events;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.json = json;
		this.relay = relay;
	}

	@DynamicPropertySource
	static void connectThroughProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.port", proxy::port);
	}

	@BeforeEach
	void emptyTap() {
		proxy.restore();
		rabbit.purge(OutboxRelayTests.TAP);
	}

	/** The relay stops first and lets go of the slot (the application closes later). */
	@AfterAll
	static void dropSlot(ApplicationContext application) {
		application.getBean(CdcRelay.class).stop();
		proxy.close();
		rabbit.close();
		CdcSlots.drop(SLOT);
	}

	@Test
	void sendsAnEventOnlyAfterItsTransactionCommittedAndNeverAfterARollback() {
		ThingHappened rolledBack = new ThingHappened("rolled back");
		ThingHappened committed = new ThingHappened("committed");

		this.transactions.executeWithoutResult((tx) -> {
			this.events.publishEvent(rolledBack);
			tx.setRollbackOnly();
		});
		List<Message> received = new ArrayList<>();
		this.transactions.executeWithoutResult((tx) -> {
			this.events.publishEvent(committed);
			// (what an earlier test left may arrive meanwhile)
			received.addAll(rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(1500)));
			assertThat(received).as("a message before the commit").noneMatch((m) -> isEvent(m, committed));
		});

		// the log is in commit order: had the rolled-back event been sent, it would come
		// before the committed one
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			Message next = rabbit.poll(OutboxRelayTests.TAP);
			if (next != null) {
				received.add(next);
			}
			return received.stream().anyMatch((m) -> isEvent(m, committed));
		});
		assertThat(received).noneMatch((m) -> isEvent(m, rolledBack));
		Message message = received.stream().filter((m) -> isEvent(m, committed)).findFirst().orElseThrow();
		assertThat(message.getMessageProperties().getType()).isEqualTo("kittest.ThingHappened");
		JsonNode envelope = this.json.readTree(message.getBody());
		assertThat(envelope.get("messageId").asString()).isEqualTo(committed.eventId().toString());
		assertThat(envelope.get("source").asString()).isEqualTo("kit-tests");
		assertThat(envelope.get("payload").get("name").asString()).isEqualTo("committed");
		assertThat(publications(rolledBack)).as("a rolled-back event's publication").isZero();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(completed(committed)).isOne());
		assertThat(publications(committed)).as("one publication, the CDC relay's").isOne();
	}

	@Test
	void holdsItsPositionWhileTheBrokerIsUnreachableAndDeliversEveryEventAfterwards() {
		ThingHappened before = new ThingHappened("before the outage");
		this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(before));
		assertThat(rabbit.receive(OutboxRelayTests.TAP, Duration.ofSeconds(20))).isNotNull();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(completed(before)).isOne());

		proxy.cut();
		List<ThingHappened> published = IntStream.range(0, 20)
			.mapToObj((i) -> new ThingHappened("outage " + i))
			.toList();
		published.forEach((event) -> this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event)));
		String lastWritten = this.jdbc.sql("SELECT pg_current_wal_lsn()::text").query(String.class).single();
		long sentBefore = this.relay.sent();

		// the relay keeps trying: nothing is completed, and the slot stays before the
		// events (the heartbeat, every second, would move it past them otherwise)
		await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(published.stream().mapToLong(this::incomplete).sum()).isEqualTo(published.size());
			assertThat(confirmedBeyond(lastWritten)).as("the slot moved past undelivered events").isFalse();
		});
		assertThat(this.relay.sent()).isEqualTo(sentBefore);

		proxy.restore();

		List<String> arrived = new ArrayList<>();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(300))
				.forEach((m) -> arrived.add(m.getMessageProperties().getMessageId()));
			return arrived.containsAll(published.stream().map((e) -> e.eventId().toString()).toList());
		});
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(published.stream().mapToLong(this::completed).sum()).isEqualTo(published.size()));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(confirmedBeyond(lastWritten)).as("the slot moves on once delivered").isTrue());
	}

	/**
	 * PostgreSQL writes a transaction's commit to the log, where the relay reads it, a
	 * moment before other sessions see its rows; with a synchronous standby that does not
	 * answer, that moment lasts until the wait ends. The relay sends the event meanwhile,
	 * cannot complete a publication it does not see, and completes it once it can.
	 */
	@Test
	void completesAPublicationItReadBeforeOtherSessionsCouldSeeIt() throws Exception {
		ThingHappened late = new ThingHappened("seen late");
		AtomicInteger backend = new AtomicInteger();
		CompletableFuture<Void> commit = null;
		try {
			// every session commits as before but the publisher's, which waits for a
			// standby that is not there
			this.jdbc.sql("ALTER SYSTEM SET synchronous_commit = 'local'").update();
			this.jdbc.sql("ALTER SYSTEM SET synchronous_standby_names = 'kit_cdc_tests_absent_standby'").update();
			reloadConfiguration("kit_cdc_tests_absent_standby");
			commit = CompletableFuture.runAsync(() -> this.transactions.executeWithoutResult((tx) -> {
				backend.set(this.jdbc.sql("SELECT pg_backend_pid()").query(Integer.class).single());
				this.jdbc.sql("SET LOCAL synchronous_commit = 'on'").update();
				this.events.publishEvent(late);
			}));
			List<Message> received = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				received.addAll(rabbit.drain(OutboxRelayTests.TAP, Duration.ofMillis(200)));
				return received.stream().anyMatch((m) -> isEvent(m, late));
			});
			assertThat(commit).as("the publisher's commit, waiting for the standby").isNotDone();
			assertThat(publications(late)).as("the publication, as other sessions see it").isZero();

			// the wait ends (the transaction is committed already): its rows become
			// visible
			assertThat(this.jdbc.sql("SELECT pg_cancel_backend(?)").param(backend.get()).query(Boolean.class).single())
				.isTrue();
			commit.get(10, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(completed(late)).isOne());
		}
		finally {
			this.jdbc.sql("ALTER SYSTEM RESET synchronous_standby_names").update();
			this.jdbc.sql("ALTER SYSTEM RESET synchronous_commit").update();
			reloadConfiguration("");
			if (commit != null) {
				commit.exceptionally((ex) -> null).get(10, TimeUnit.SECONDS);
			}
		}
	}

	private void reloadConfiguration(String standbys) {
		this.jdbc.sql("SELECT pg_reload_conf()").query(Boolean.class).single();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					this.jdbc.sql("SELECT current_setting('synchronous_standby_names')").query(String.class).single())
				.isEqualTo(standbys));
	}

	private static boolean isEvent(Message message, ThingHappened event) {
		return event.eventId().toString().equals(message.getMessageProperties().getMessageId());
	}

	private boolean confirmedBeyond(String lsn) {
		return this.jdbc
			.sql("SELECT confirmed_flush_lsn >= CAST(? AS pg_lsn) FROM pg_replication_slots WHERE slot_name = ?")
			.params(lsn, SLOT)
			.query(Boolean.class)
			.single();
	}

	private long publications(ThingHappened event) {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ?")
			.param("%" + event.eventId() + "%")
			.query(Long.class)
			.single();
	}

	private long incomplete(ThingHappened event) {
		return cdcPublications(event, "completion_date IS NULL");
	}

	private long completed(ThingHappened event) {
		return cdcPublications(event, "completion_date IS NOT NULL AND status = 'COMPLETED'");
	}

	private long cdcPublications(ThingHappened event, String condition) {
		return this.jdbc
			.sql("SELECT count(*) FROM event_publication WHERE serialized_event LIKE ? AND listener_id = ? AND "
					+ condition)
			.params("%" + event.eventId() + "%", CdcRelay.LISTENER_ID)
			.query(Long.class)
			.single();
	}

}
