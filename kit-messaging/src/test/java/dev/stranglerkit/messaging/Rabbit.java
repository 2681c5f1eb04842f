package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The test's own connection to the real broker, apart from the application's: it reads
 * what arrived in a queue and sends raw messages, the way another process would.
 */
final class Rabbit implements AutoCloseable {

	static final String EXCHANGE = "kit-tests.events";

	final CachingConnectionFactory connectionFactory = new CachingConnectionFactory(
			System.getenv().getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"));

	final RabbitTemplate template;

	final RabbitAdmin admin;

	Rabbit() {
		this.connectionFactory.setVirtualHost(System.getenv().getOrDefault("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		this.template = new RabbitTemplate(this.connectionFactory);
		this.admin = new RabbitAdmin(this.connectionFactory);
	}

	@Nullable Message receive(String queue, Duration timeout) {
		return this.template.receive(queue, timeout.toMillis());
	}

	/** The message at the head of the queue now, if any, without waiting. */
	@Nullable Message poll(String queue) {
		return this.template.receive(queue);
	}

	/** Reads what is in the queue now, until it stays empty for {@code quiet}. */
	List<Message> drain(String queue, Duration quiet) {
		List<Message> messages = new ArrayList<>();
		for (Message message = receive(queue, quiet); message != null; message = receive(queue, quiet)) {
			messages.add(message);
		}
		return messages;
	}

	void purge(String queue) {
		this.admin.purgeQueue(queue, false);
	}

	void send(String routingKey, String body) {
		send(routingKey, body, UUID.randomUUID().toString());
	}

	void send(String routingKey, String body, String messageId) {
		Message message = MessageBuilder.withBody(body.getBytes())
			.setContentType("application/json")
			.setMessageId(messageId)
			.build();
		this.template.send(EXCHANGE, routingKey, message);
	}

	static String envelope(String messageId, String type, String source, String payload) {
		return """
				{"messageId": "%s", "type": "%s", "schemaVersion": 1, "occurredAt": "2026-11-23T10:00:00Z",
				 "source": "%s", "traceparent": null, "payload": %s}""".formatted(messageId, type, source, payload);
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
