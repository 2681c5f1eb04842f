package dev.stranglerkit.launcher;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Launcher#await}, the launcher's one way to wait for a condition. */
class LauncherAwaitTests {

	@Test
	void returnsOnceTheConditionHolds() {
		AtomicInteger polls = new AtomicInteger();
		Launcher.await(Duration.ofSeconds(5), Duration.ofMillis(10), () -> polls.incrementAndGet() == 3, () -> "never");
		assertThat(polls).hasValue(3);
	}

	@Test
	void failsWithTheMessageWhenTheConditionDoesNotHoldInTime() {
		assertThatThrownBy(() -> Launcher.await(Duration.ofMillis(100), Duration.ofMillis(10), () -> false,
				() -> "monolith was not healthy"))
			.isInstanceOf(LaunchException.class)
			.hasMessage("monolith was not healthy");
	}

	@Test
	void aFailureOfTheConditionEndsTheWaitAtOnce() {
		AtomicInteger polls = new AtomicInteger();
		assertThatThrownBy(() -> Launcher.await(Duration.ofSeconds(30), Duration.ofMillis(10), () -> {
			polls.incrementAndGet();
			throw new LaunchException("monolith stopped while starting");
		}, () -> "never")).isInstanceOf(LaunchException.class).hasMessage("monolith stopped while starting");
		assertThat(polls).hasValue(1);
	}

}
