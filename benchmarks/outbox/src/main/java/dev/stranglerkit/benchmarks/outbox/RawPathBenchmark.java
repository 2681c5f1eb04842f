package dev.stranglerkit.benchmarks.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

/**
 * The least work an outbox has to do per event, with the raw clients (the PostgreSQL JDBC
 * driver and RabbitMQ's Java client) and no framework, on the same machine, at the same
 * concurrency and with the same counting as {@link OutboxBenchmark}'s sustained phase:
 * <ol>
 * <li>insert the event's row (a table like Modulith's {@code event_publication}, same
 * columns and indexes) and commit, one event per transaction;</li>
 * <li>publish the message, persistent and mandatory, on the producer's own channel in
 * confirm mode (no waiting: a listener takes the confirms);</li>
 * <li>a confirmed message's row is marked completed, many rows per statement and
 * transaction, by as many writer threads as there are producers (with one, the
 * completions fell behind the producers);</li>
 * <li>consumers in the same process, one connection shared with the publishers, prefetch
 * 250, one ack per message, as the benchmark's consumer.</li>
 * </ol>
 * What it leaves out, and the kit does: Jackson (the event and the message are formatted
 * strings here), the trace context, Spring's transaction and event machinery, the
 * processing mark (the kit writes it only for a publication still in flight after a
 * second), resubmission. Its rate is about as fast as an outbox on Modulith's table can
 * go on this machine, so the kit's figure is read against it as well as against
 * PostgreSQL's and RabbitMQ's rates alone. Run with {@code -Dloader.main=} this class and
 * Spring Boot's {@code PropertiesLauncher} (see {@code run.sh}); runs after
 * {@link OutboxBenchmark}, whose table it copies.
 */
public final class RawPathBenchmark {

	private static final String EXCHANGE = "bench.raw";

	private static final String QUEUE = "bench-raw";

	private static final String TABLE = "raw_publication";

	private final String jdbcUrl = "jdbc:postgresql://%s:%s/%s".formatted(env("SHOP_DB_HOST", "127.0.0.1"),
			env("SHOP_DB_PORT", "5432"), env("SHOP_BENCH_DB_NAME", "shop_bench"));

	private final LongAdder consumed = new LongAdder();

	private final LongAdder completed = new LongAdder();

	private final LongAdder returned = new LongAdder();

	private final BlockingQueue<UUID> confirmed = new LinkedBlockingQueue<>();

	private final com.rabbitmq.client.Connection rabbit;

	private final int threads;

	private RawPathBenchmark(int threads) throws Exception {
		this.threads = threads;
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(env("SHOP_RABBIT_HOST", "127.0.0.1"));
		factory.setVirtualHost(env("SHOP_TEST_RABBIT_VHOST", "shop_test"));
		this.rabbit = factory.newConnection("raw-path-benchmark");
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			String[] option = arg.replaceFirst("^--", "").split("=", 2);
			options.put(option[0], (option.length > 1) ? option[1] : "");
		}
		int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
		int warmup = Integer.parseInt(options.getOrDefault("warmup", "30"));
		Path out = Path.of(options.getOrDefault("out", "target/raw-path.properties"));
		RawPathBenchmark benchmark = new RawPathBenchmark(threads);
		benchmark.prepare();
		benchmark.sustained("warmup", Duration.ofSeconds(warmup));
		double rate = benchmark.sustained("sustained", Duration.ofSeconds(seconds));
		if (benchmark.returned.sum() > 0) {
			throw new IllegalStateException(benchmark.returned.sum() + " messages were returned as unroutable");
		}
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, "raw.events_per_second=%.0f%n".formatted(rate));
		System.out.printf("raw path: %.0f events/s, written to %s%n", rate, out);
		System.exit(0);
	}

	private void prepare() throws Exception {
		try (Connection db = database(); var statement = db.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + TABLE);
			statement.execute("CREATE TABLE " + TABLE + " (LIKE event_publication INCLUDING ALL)");
		}
		try (Channel channel = this.rabbit.createChannel()) {
			channel.exchangeDeclare(EXCHANGE, "topic", true);
			channel.queueDelete(QUEUE);
			channel.queueDeclare(QUEUE, true, false, false, null);
			channel.queueBind(QUEUE, EXCHANGE, "#");
		}
		for (int i = 0; i < 2; i++) {
			Channel channel = this.rabbit.createChannel();
			channel.basicQos(250);
			channel.basicConsume(QUEUE, false, new DefaultConsumer(channel) {
				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
						throws IOException {
					RawPathBenchmark.this.consumed.increment();
					channel.basicAck(envelope.getDeliveryTag(), false);
				}
			});
		}
		for (int i = 0; i < this.threads; i++) {
			Thread.ofPlatform().daemon().name("raw-completions-" + i).start(this::writeCompletions);
		}
	}

	/**
	 * As {@link OutboxBenchmark}: events produced, per second until all were consumed and
	 * completed.
	 */
	private double sustained(String phase, Duration duration) throws Exception {
		long consumedBefore = this.consumed.sum();
		long completedBefore = this.completed.sum();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		long produced = 0;
		try (ExecutorService producers = Executors.newFixedThreadPool(this.threads)) {
			List<Future<Long>> counts = new ArrayList<>();
			for (int t = 0; t < this.threads; t++) {
				counts.add(producers.submit(() -> produce(phase, end)));
			}
			for (Future<Long> count : counts) {
				produced += count.get();
			}
		}
		System.out.printf("%s: producers done after %.1f s: %d produced, %d consumed, %d completed%n", phase,
				(System.nanoTime() - start) / 1e9, produced, this.consumed.sum() - consumedBefore,
				this.completed.sum() - completedBefore);
		long all = produced;
		Delivery.awaitAll(
				() -> this.consumed.sum() - consumedBefore >= all && this.completed.sum() - completedBefore >= all,
				() -> "%s: %d produced, %d consumed, %d completed".formatted(phase, all,
						this.consumed.sum() - consumedBefore, this.completed.sum() - completedBefore));
		double elapsed = (System.nanoTime() - start) / 1e9;
		System.out.printf("%s: %d events in %.1f s%n", phase, produced, elapsed);
		return produced / elapsed;
	}

	private long produce(String phase, long end) throws Exception {
		ConcurrentNavigableMap<Long, UUID> unconfirmed = new ConcurrentSkipListMap<>();
		Channel channel = this.rabbit.createChannel();
		channel.confirmSelect();
		channel.addReturnListener((returnedMessage) -> this.returned.increment());
		channel.addConfirmListener((tag, multiple) -> confirmed(unconfirmed, tag, multiple, true),
				(tag, multiple) -> confirmed(unconfirmed, tag, multiple, false));
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.build();
		long sequence = 0;
		try (Connection db = database();
				PreparedStatement insert = db.prepareStatement("INSERT INTO " + TABLE
						+ " (id, listener_id, event_type, serialized_event, publication_date, status, completion_attempts)"
						+ " VALUES (?, ?, ?, ?, ?, 'PUBLISHED', 1)")) {
			db.setAutoCommit(false);
			while (System.nanoTime() < end) {
				UUID id = UUID.randomUUID();
				Instant now = Instant.now();
				insert.setObject(1, id);
				insert.setString(2,
						"org.springframework.modulith.events.support.EventExternalizerModuleListener.externalize(java.lang.Object)");
				insert.setString(3, Measured.class.getName());
				insert.setString(4, "{\"eventId\":\"%s\",\"occurredAt\":\"%s\",\"phase\":\"%s\",\"sequence\":%d}"
					.formatted(id, now, phase, sequence));
				insert.setTimestamp(5, Timestamp.from(now));
				insert.executeUpdate();
				db.commit();
				byte[] body = ("{\"messageId\":\"%s\",\"type\":\"bench.Measured\",\"schemaVersion\":1,\"occurredAt\":\"%s\","
						+ "\"source\":\"outbox-benchmark\",\"payload\":{\"eventId\":\"%s\",\"occurredAt\":\"%s\",\"phase\":\"%s\",\"sequence\":%d}}")
					.formatted(id, now, id, now, phase, sequence)
					.getBytes(StandardCharsets.UTF_8);
				unconfirmed.put(channel.getNextPublishSeqNo(), id);
				channel.basicPublish(EXCHANGE, "bench.Measured", true, properties, body);
				sequence++;
			}
		}
		return sequence;
	}

	private void confirmed(ConcurrentNavigableMap<Long, UUID> unconfirmed, long tag, boolean multiple, boolean ack) {
		Map<Long, UUID> settled = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
		if (ack) {
			this.confirmed.addAll(settled.values());
		}
		else {
			System.err.println("nack for " + settled.size() + " messages");
		}
		settled.clear();
	}

	private void writeCompletions() {
		try (Connection db = database();
				PreparedStatement complete = db.prepareStatement(
						"UPDATE " + TABLE + " SET status = 'COMPLETED', completion_date = ? WHERE id = ANY (?)")) {
			db.setAutoCommit(false);
			List<UUID> batch = new ArrayList<>();
			while (true) {
				batch.add(this.confirmed.take());
				this.confirmed.drainTo(batch, 499);
				complete.setTimestamp(1, Timestamp.from(Instant.now()));
				complete.setArray(2, db.createArrayOf("uuid", batch.toArray()));
				complete.executeUpdate();
				db.commit();
				this.completed.add(batch.size());
				batch.clear();
			}
		}
		catch (SQLException | InterruptedException ex) {
			throw new IllegalStateException("the completion writer stopped", ex);
		}
	}

	private Connection database() throws SQLException {
		return DriverManager.getConnection(this.jdbcUrl, env("SHOP_DB_USER", "postgres"), env("SHOP_DB_PASSWORD", ""));
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
