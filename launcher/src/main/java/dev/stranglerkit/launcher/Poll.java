package dev.stranglerkit.launcher;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The launcher's one way to wait (Awaitility underneath): for a condition that must hold
 * in time ({@link #await}), or for a value that should settle, taking it as it is at the
 * deadline ({@link #until}). An exception the condition throws ends the wait at once.
 */
public final class Poll {

	private Poll() {
	}

	/**
	 * Polls the condition until it holds.
	 * @throws LaunchException with the failure's message when it does not within the time
	 */
	public static void await(Duration atMost, Duration every, Callable<Boolean> condition, Supplier<String> failure) {
		try {
			poll(atMost, every).until(condition);
		}
		catch (ConditionTimeoutException ex) {
			throw new LaunchException(failure.get());
		}
	}

	/**
	 * Reads the value until it is done, or the time is up.
	 * @return the last value read: done, or as it was at the deadline
	 */
	public static <T> T until(Duration atMost, Duration every, Supplier<T> read, Predicate<T> done) {
		AtomicReference<T> last = new AtomicReference<>();
		try {
			return poll(atMost, every).until(() -> {
				last.set(read.get());
				return last.get();
			}, done::test);
		}
		catch (ConditionTimeoutException ex) {
			return last.get();
		}
	}

	private static ConditionFactory poll(Duration atMost, Duration every) {
		// several at once (one per application starting): no global handler of uncaught
		// exceptions, which Awaitility would otherwise install
		return Awaitility.await()
			.dontCatchUncaughtExceptions()
			.atMost((atMost.compareTo(every) < 0) ? every : atMost)
			.pollDelay(Duration.ZERO)
			.pollInterval(every)
			.pollInSameThread();
	}

}
