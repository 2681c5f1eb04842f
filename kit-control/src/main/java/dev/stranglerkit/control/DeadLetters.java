package dev.stranglerkit.control;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.yaml.snakeyaml.Yaml;

/**
 * Sends the messages waiting in a consumer queue's dead-letter queue
 * ({@code <queue>.dlq}) back to the queue, once the cause that put them there is fixed:
 * {@code ./kit replay
 * <queue|all>} and the migration console's replay button. Each message goes back as it
 * was (same message id, same body), without the broker's death records and the consumer's
 * retry clocks, so it gets a full retry budget again; it is removed from the dead-letter
 * queue only after the broker confirmed the copy, so a replay never loses one, and a
 * crash in between only delivers it twice, which the idempotent consumer makes harmless.
 * A replay takes at most the messages that were there when it started: one that is
 * dead-lettered again at once waits for the next replay instead of going round for ever.
 */
public final class DeadLetters {

	/** Headers that describe a message's earlier tries, dropped on replay. */
	static final List<String> RETRY_HEADERS = List.of("x-death", "x-first-death-exchange", "x-first-death-queue",
			"x-first-death-reason", "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason",
			"x-kit-failing-since", "x-kit-deferred-since");

	/** Counts how often a message was replayed. */
	static final String REPLAYS = "x-kit-replays";

	private final ConnectionFactory broker;

	public DeadLetters(ConnectionFactory broker) {
		this.broker = broker;
	}

	/** The landscape's broker, as the applications reach it ({@code SHOP_RABBIT_*}). */
	public static DeadLetters of(Map<String, String> env) {
		ConnectionFactory broker = new ConnectionFactory();
		broker.setHost(env.getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"));
		broker.setPort(Integer.parseInt(env.getOrDefault("SHOP_RABBIT_PORT", "5672")));
		broker.setUsername(env.getOrDefault("SHOP_RABBIT_USER", "guest"));
		broker.setPassword(env.getOrDefault("SHOP_RABBIT_PASSWORD", "guest"));
		broker.setVirtualHost(env.getOrDefault("SHOP_RABBIT_VHOST", "/"));
		return new DeadLetters(broker);
	}

	/**
	 * The consumer queues of the landscape: the keys of
	 * {@code kit.messaging.subscriptions} in config-repo's {@code application.yml}, the
	 * one list every application declares.
	 */
	@SuppressWarnings("unchecked")
	public static List<String> queues(Path configRepo) {
		Path shared = configRepo.resolve("application.yml");
		try (Reader reader = Files.newBufferedReader(shared)) {
			Object subscriptions = path(new Yaml().load(reader), "kit", "messaging", "subscriptions");
			if (subscriptions instanceof Map<?, ?> map) {
				return new ArrayList<>(((Map<String, ?>) map).keySet());
			}
			throw new ReplayException(shared + " has no kit.messaging.subscriptions: no queue to replay");
		}
		catch (IOException ex) {
			throw new ReplayException("could not read " + shared + ": " + ex.getMessage());
		}
	}

	private static Object path(Object yaml, String... keys) {
		Object node = yaml;
		for (String key : keys) {
			node = (node instanceof Map<?, ?> map) ? map.get(key) : null;
		}
		return node;
	}

	/**
	 * Replays every consumer queue of the landscape that the broker has (a queue is
	 * declared by the applications once one of them has run).
	 * @return per queue, how many messages went back to it
	 */
	public Map<String, Integer> replayAll(Path configRepo) {
		List<String> declared = new ArrayList<>();
		try (Connection connection = this.broker.newConnection("kit replay")) {
			for (String queue : queues(configRepo)) {
				if (exists(connection, queue)) {
					declared.add(queue);
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw unreachable(ex);
		}
		return replay(declared);
	}

	/**
	 * @return per queue, how many messages went back to it
	 * @throws ReplayException if a queue or its dead-letter queue is not on the broker
	 */
	public Map<String, Integer> replay(List<String> queues) {
		Map<String, Integer> replayed = new LinkedHashMap<>();
		try (Connection connection = this.broker.newConnection("kit replay")) {
			for (String queue : queues) {
				replayed.put(queue, replay(connection, queue));
			}
		}
		catch (IOException | TimeoutException ex) {
			throw unreachable(ex);
		}
		return replayed;
	}

	private ReplayException unreachable(Exception ex) {
		return new ReplayException("could not replay the dead letters through RabbitMQ at " + this.broker.getHost()
				+ ":" + this.broker.getPort() + " (vhost " + this.broker.getVirtualHost() + "): " + ex.getMessage());
	}

	private static boolean exists(Connection connection, String queue) throws IOException {
		// a passive declaration of a missing queue closes its channel
		try (Channel channel = connection.createChannel()) {
			channel.queueDeclarePassive(queue + ".dlq");
			channel.queueDeclarePassive(queue);
			return true;
		}
		catch (IOException | TimeoutException | AlreadyClosedException ex) {
			return false;
		}
	}

	private int replay(Connection connection, String queue) throws IOException, TimeoutException {
		String deadLetters = queue + ".dlq";
		if (!exists(connection, queue)) {
			throw new ReplayException("no queue '" + queue + "' with a dead-letter queue '" + deadLetters
					+ "' on the broker; the landscape's queues are declared by its applications");
		}
		try (Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			long waiting = channel.messageCount(deadLetters);
			int replayed = 0;
			for (GetResponse message; replayed < waiting
					&& (message = channel.basicGet(deadLetters, false)) != null; replayed++) {
				channel.basicPublish("", queue, true, withoutRetryHeaders(message.getProps()), message.getBody());
				channel.waitForConfirmsOrDie(10_000);
				channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
			}
			return replayed;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplayException("interrupted while replaying " + deadLetters);
		}
	}

	static AMQP.BasicProperties withoutRetryHeaders(AMQP.BasicProperties properties) {
		Map<String, Object> headers = new HashMap<>(
				(properties.getHeaders() != null) ? properties.getHeaders() : Map.of());
		RETRY_HEADERS.forEach(headers::remove);
		Object replays = headers.get(REPLAYS);
		headers.put(REPLAYS, (replays instanceof Number number) ? number.intValue() + 1 : 1);
		return properties.builder().headers(headers).expiration(null).build();
	}

	/** A replay that could not be done; the message says why. */
	public static final class ReplayException extends RuntimeException {

		ReplayException(String message) {
			super(message);
		}

	}

}
