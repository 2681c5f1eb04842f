package dev.stranglerkit.control;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./kit replay} against the real RabbitMQ (the tests' virtual host), on a queue
 * laid out as the kit's applications declare theirs: messages the broker really
 * dead-lettered (rejected by a consumer) go back to their queue as they were, and only
 * those.
 */
class DeadLettersTests {

	static final String QUEUE = "kit-replay-tests";

	final ConnectionFactory broker = new ConnectionFactory();

	Connection connection;

	Channel channel;

	DeadLetters deadLetters;

	@BeforeEach
	void declareQueues() throws Exception {
		this.broker.setHost(System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"));
		this.broker.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		this.connection = this.broker.newConnection();
		this.channel = this.connection.createChannel();
		this.channel.queueDelete(QUEUE);
		this.channel.queueDelete(QUEUE + ".dlq");
		this.channel.exchangeDeclare("kit-replay-tests.dlx", "direct", true);
		this.channel.queueDeclare(QUEUE + ".dlq", true, false, false, null);
		this.channel.queueBind(QUEUE + ".dlq", "kit-replay-tests.dlx", QUEUE);
		this.channel.queueDeclare(QUEUE, true, false, false,
				Map.of("x-dead-letter-exchange", "kit-replay-tests.dlx", "x-dead-letter-routing-key", QUEUE));
		this.deadLetters = new DeadLetters(this.broker);
	}

	@AfterEach
	void close() throws Exception {
		this.connection.close();
	}

	@Test
	void sendsEveryDeadLetterBackToItsQueueAsItWasWithAFreshRetryBudget() throws Exception {
		List<String> ids = List.of(deadLetter("first"), deadLetter("second"), deadLetter("third"));

		Map<String, Integer> replayed = this.deadLetters.replay(List.of(QUEUE));

		assertThat(replayed).containsExactly(Map.entry(QUEUE, 3));
		assertThat(this.channel.messageCount(QUEUE + ".dlq")).isZero();
		List<GetResponse> back = drain(QUEUE);
		assertThat(back).extracting((m) -> m.getProps().getMessageId()).containsExactlyElementsOf(ids);
		assertThat(back).extracting((m) -> new String(m.getBody(), StandardCharsets.UTF_8))
			.containsExactly("{\"name\": \"first\"}", "{\"name\": \"second\"}", "{\"name\": \"third\"}");
		assertThat(back).allSatisfy((m) -> {
			assertThat(m.getProps().getContentType()).isEqualTo("application/json");
			assertThat(m.getProps().getHeaders()).doesNotContainKeys("x-death", "x-kit-failing-since")
				.containsEntry("x-kit-replays", 1);
			// (the broker hands strings back as its LongString)
			assertThat(m.getProps().getHeaders().get("kept")).hasToString("yes");
		});
	}

	@Test
	void countsEachReplayOfAMessage() throws Exception {
		deadLetter("twice");
		this.deadLetters.replay(List.of(QUEUE));
		rejectAll(QUEUE);

		this.deadLetters.replay(List.of(QUEUE));

		assertThat(drain(QUEUE)).singleElement()
			.satisfies((m) -> assertThat(m.getProps().getHeaders()).containsEntry("x-kit-replays", 2));
	}

	@Test
	void replaysNothingFromAnEmptyDeadLetterQueue() {
		assertThat(this.deadLetters.replay(List.of(QUEUE))).containsExactly(Map.entry(QUEUE, 0));
	}

	@Test
	void refusesAQueueTheBrokerDoesNotHave() {
		assertThatExceptionOfType(DeadLetters.ReplayException.class)
			.isThrownBy(() -> this.deadLetters.replay(List.of("no-such-queue")))
			.withMessageContaining("no queue 'no-such-queue'");
	}

	@Test
	void replaysEveryQueueOfTheLandscapeThatTheBrokerHas(@TempDir Path configRepo) throws Exception {
		Files.writeString(configRepo.resolve("application.yml"), """
				kit:
				  messaging:
				    subscriptions:
				      %s: [kittest.#]
				      not-declared-yet: [other.#]
				""".formatted(QUEUE));
		deadLetter("one of all");

		assertThat(this.deadLetters.replayAll(configRepo)).containsExactly(Map.entry(QUEUE, 1));
		assertThat(drain(QUEUE)).hasSize(1);
	}

	@Test
	void readsTheLandscapesQueuesFromConfigRepo() {
		assertThat(DeadLetters.queues(Path.of("../config-repo"))).containsExactlyInAnyOrder("inventory-service",
				"notification-service", "monolith");
	}

	/** A message on the queue that a consumer rejects, so the broker dead-letters it. */
	private String deadLetter(String name) throws Exception {
		String id = UUID.randomUUID().toString();
		this.channel.basicPublish("", QUEUE,
				new AMQP.BasicProperties.Builder().messageId(id)
					.contentType("application/json")
					.headers(Map.of("x-kit-failing-since", System.currentTimeMillis(), "kept", "yes"))
					.build(),
				("{\"name\": \"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
		rejectAll(QUEUE);
		return id;
	}

	private void rejectAll(String queue) throws Exception {
		for (GetResponse message; (message = this.channel.basicGet(queue, false)) != null;) {
			this.channel.basicReject(message.getEnvelope().getDeliveryTag(), false);
		}
		await().until(() -> this.channel.messageCount(queue) == 0);
	}

	private List<GetResponse> drain(String queue) throws Exception {
		List<GetResponse> messages = new ArrayList<>();
		for (GetResponse message; (message = this.channel.basicGet(queue, true)) != null;) {
			messages.add(message);
		}
		return messages;
	}

}
