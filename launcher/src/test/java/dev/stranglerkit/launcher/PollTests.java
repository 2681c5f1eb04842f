package dev.stranglerkit.launcher;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Poll}, the launcher's one way to wait. */
class PollTests {

	@Test
	void returnsOnceTheConditionHolds() {
		AtomicInteger polls = new AtomicInteger();
		Poll.await(Duration.ofSeconds(5), Duration.ofMillis(10), () -> polls.incrementAndGet() == 3, () -> "never");
		assertThat(polls).hasValue(3);
	}

	@Test
	void failsWithTheMessageWhenTheConditionDoesNotHoldInTime() {
		assertThatThrownBy(() -> Poll.await(Duration.ofMillis(100), Duration.ofMillis(10), () -> false,
				() -> "monolith was not healthy"))
			.isInstanceOf(LaunchException.class)
			.hasMessage("monolith was not healthy");
	}

	@Test
	void aFailureOfTheConditionEndsTheWaitAtOnce() {
		AtomicInteger polls = new AtomicInteger();
		assertThatThrownBy(() -> Poll.await(Duration.ofSeconds(30), Duration.ofMillis(10), () -> {
			polls.incrementAndGet();
			throw new LaunchException("monolith stopped while starting");
		}, () -> "never")).isInstanceOf(LaunchException.class).hasMessage("monolith stopped while starting");
		assertThat(polls).hasValue(1);
	}

	@Test
	void untilGivesTheValueOnceDone() {
		AtomicInteger reads = new AtomicInteger();
		assertThat(
				Poll.until(Duration.ofSeconds(5), Duration.ofMillis(10), reads::incrementAndGet, (read) -> read == 3))
			.isEqualTo(3);
	}

	@Test
	void untilGivesTheLastValueReadWhenTheTimeIsUp() {
		AtomicInteger reads = new AtomicInteger();
		int last = Poll.until(Duration.ofMillis(100), Duration.ofMillis(10), reads::incrementAndGet, (read) -> false);
		assertThat(last).isGreaterThan(1).isEqualTo(reads.get());
	}

}
