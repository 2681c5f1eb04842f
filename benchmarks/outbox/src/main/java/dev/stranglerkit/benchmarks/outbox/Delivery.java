package dev.stranglerkit.benchmarks.outbox;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * How both benchmarks end a phase: they wait until every event produced has been consumed
 * and its publication completed, at most five minutes.
 */
final class Delivery {

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private Delivery() {
	}

	/**
	 * @param delivered whether every event has arrived
	 * @param progress what has arrived so far, for the failure's message
	 * @throws IllegalStateException when they have not all arrived in time
	 */
	static void awaitAll(Callable<Boolean> delivered, Supplier<String> progress) {
		try {
			await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(delivered);
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException(progress.get() + " after " + TIMEOUT);
		}
	}

}
