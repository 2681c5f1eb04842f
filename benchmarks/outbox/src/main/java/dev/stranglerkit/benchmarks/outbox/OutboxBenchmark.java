package dev.stranglerkit.benchmarks.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives the kit's outbox (Modulith's JDBC event publication registry, the confirming
 * relay) with one event per transaction and consumes the messages from RabbitMQ in the
 * same process, after a warm-up ({@code --warmup} seconds of the sustained load, so that
 * the JIT compiler is done with the hot paths):
 * <ol>
 * <li>sustained: {@code --threads} producers as fast as they can for {@code --seconds};
 * the rate counts an event only once it was consumed and its publication completed;</li>
 * <li>latency: a fixed arrival rate ({@code --rate} events/s, an open model) for
 * {@code --seconds}; commit-to-consumer latency from the moment each event was due.</li>
 * </ol>
 * The figures go to {@code --out} as properties, with the CPU time per event of the
 * sustained phase in this JVM, PostgreSQL and RabbitMQ ({@link CpuTime}). The relay is
 * the application's choice, {@code --kit.messaging.relay=outbox|cdc}.
 */
@SpringBootApplication
public class OutboxBenchmark implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(OutboxBenchmark.class);

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final JdbcClient jdbc;

	private final Consumed consumed;

	/** events of the sustained phases so far */
	private long sustainedEvents;

	OutboxBenchmark(ApplicationEventPublisher events, TransactionTemplate transactions, JdbcClient jdbc,
			Consumed consumed) {
		this.events = events;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.consumed = consumed;
	}

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(OutboxBenchmark.class, args)));
	}

	@Bean
	SimpleMessageListenerContainer benchConsumer(ConnectionFactory connectionFactory, Consumed consumed) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames("bench-consumer");
		container.setConcurrentConsumers(2);
		container.setPrefetchCount(250);
		container.setMessageListener(consumed::record);
		return container;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		int threads = intOption(args, "threads", 4);
		int seconds = intOption(args, "seconds", 20);
		int rate = intOption(args, "rate", 500);
		int warmup = intOption(args, "warmup", 30);
		Path out = Path.of(option(args, "out", "target/outbox-benchmark.properties"));
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("threads", threads);
		figures.put("seconds", seconds);
		figures.put("rate", rate);

		log.info("Warming up for {} s", warmup);
		sustained("warmup", threads, Duration.ofSeconds(warmup));
		log.info("Sustained: {} producer threads for {} s", threads, seconds);
		Map<String, Double> cpuBefore = CpuTime.now();
		long before = this.sustainedEvents;
		figures.put("sustained.events_per_second",
				"%.0f".formatted(sustained("sustained", threads, Duration.ofSeconds(seconds))));
		long events = this.sustainedEvents - before;
		Map<String, Double> cpuAfter = CpuTime.now();
		// CPU microseconds per event of the sustained phase, per process group
		cpuAfter.forEach((group, spent) -> figures.put("cpu." + group + "_us_per_event",
				"%.1f".formatted((spent - cpuBefore.get(group)) * 1e6 / events)));
		log.info("Latency: {} events/s for {} s", rate, seconds);
		Histogram latency = fixedRate("latency", rate, Duration.ofSeconds(seconds), threads);
		figures.put("latency.count", latency.getTotalCount());
		figures.put("latency.p50_ms", millis(latency.getValueAtPercentile(50)));
		figures.put("latency.p90_ms", millis(latency.getValueAtPercentile(90)));
		figures.put("latency.p99_ms", millis(latency.getValueAtPercentile(99)));
		figures.put("latency.p999_ms", millis(latency.getValueAtPercentile(99.9)));
		figures.put("latency.max_ms", millis(latency.getMaxValue()));

		StringBuilder text = new StringBuilder();
		figures.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, text);
		log.info("Figures written to {}:\n{}", out, text);
	}

	/**
	 * @return events per second, each counted once consumed and completed
	 */
	private double sustained(String phase, int threads, Duration duration) throws InterruptedException {
		LongAdder produced = new LongAdder();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		try (ExecutorService producers = Executors.newFixedThreadPool(threads)) {
			for (int t = 0; t < threads; t++) {
				producers.submit(() -> {
					while (System.nanoTime() < end) {
						Measured event = new Measured(Instant.now(), phase, produced.sum());
						this.transactions.executeWithoutResult((tx) -> this.events.publishEvent(event));
						produced.increment();
					}
				});
			}
		}
		awaitDelivered(phase, produced.sum());
		this.sustainedEvents += produced.sum();
		double elapsed = (System.nanoTime() - start) / 1e9;
		log.info("{}: {} events in {} s", phase, produced.sum(), "%.1f".formatted(elapsed));
		return produced.sum() / elapsed;
	}

	private Histogram fixedRate(String phase, int rate, Duration duration, int threads) throws InterruptedException {
		long total = rate * duration.toSeconds();
		AtomicLong sequence = new AtomicLong();
		Instant first = Instant.now().plusMillis(100);
		long intervalNanos = 1_000_000_000L / rate;
		try (ExecutorService workers = Executors.newFixedThreadPool(threads);
				ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor()) {
			clock.scheduleAtFixedRate(() -> {
				long n = sequence.getAndIncrement();
				if (n < total) {
					Instant due = first.plusNanos(n * intervalNanos);
					workers.submit(() -> this.transactions
						.executeWithoutResult((tx) -> this.events.publishEvent(new Measured(due, phase, n))));
				}
			}, 100_000_000L, intervalNanos, TimeUnit.NANOSECONDS);
			while (sequence.get() < total) {
				Thread.sleep(50);
			}
			clock.shutdown();
		}
		awaitDelivered(phase, total);
		return this.consumed.latencies(phase);
	}

	private void awaitDelivered(String phase, long expected) {
		Delivery.awaitAll(() -> this.consumed.count(phase) >= expected && incomplete() == 0,
				() -> "%s: only %d of %d events consumed, %d publications incomplete".formatted(phase,
						this.consumed.count(phase), expected, incomplete()));
	}

	private long incomplete() {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL")
			.query(Long.class)
			.single();
	}

	private static String millis(long micros) {
		return "%.2f".formatted(micros / 1000.0);
	}

	private static int intOption(ApplicationArguments args, String name, int fallback) {
		return Integer.parseInt(option(args, name, String.valueOf(fallback)));
	}

	private static String option(ApplicationArguments args, String name, String fallback) {
		return args.containsOption(name) ? args.getOptionValues(name).get(0) : fallback;
	}

	/**
	 * What the consumer received, per phase: a count and the latency from due to receipt.
	 */
	@Component
	static final class Consumed {

		private final JsonMapper json;

		private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

		private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();

		Consumed(JsonMapper json) {
			this.json = json;
		}

		void record(Message message) {
			Instant received = Instant.now();
			JsonNode envelope = this.json.readTree(message.getBody());
			String phase = envelope.get("payload").get("phase").asString();
			Instant due = Instant.parse(envelope.get("occurredAt").asString());
			long micros = Math.max(0, Duration.between(due, received).toNanos() / 1000);
			Histogram histogram = this.latencies.computeIfAbsent(phase, (p) -> new Histogram(3_600_000_000L, 3));
			synchronized (histogram) {
				histogram.recordValue(micros);
			}
			this.counts.computeIfAbsent(phase, (p) -> new LongAdder()).increment();
		}

		long count(String phase) {
			LongAdder count = this.counts.get(phase);
			return (count != null) ? count.sum() : 0;
		}

		Histogram latencies(String phase) {
			Histogram histogram = this.latencies.get(phase);
			synchronized (histogram) {
				return histogram.copy();
			}
		}

	}

}
