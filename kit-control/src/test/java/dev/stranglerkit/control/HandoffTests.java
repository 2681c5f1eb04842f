package dev.stranglerkit.control;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link Handoff}: the one form of a {@code kit.ownership.<module>} entry. */
class HandoffTests {

	@Test
	void readsAndWritesTheSameEntry() {
		Handoff handoff = Handoff.parse("2026-12-05T21:54:13Z=service");
		assertThat(handoff).isEqualTo(new Handoff(Instant.parse("2026-12-05T21:54:13Z"), Owner.SERVICE));
		assertThat(handoff.is(Owner.SERVICE)).isTrue();
		assertThat(handoff).hasToString("2026-12-05T21:54:13Z=service");
	}

	@Test
	void refusesAnEntryWithoutAnOwner() {
		assertThatExceptionOfType(RouteChangeException.class).isThrownBy(() -> Handoff.parse("2026-12-05T21:54:13Z"))
			.withMessage("'2026-12-05T21:54:13Z' is not <instant>=<monolith|service>");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> Handoff.parse("2026-12-05T21:54:13Z=somebody"))
			.withMessage("'2026-12-05T21:54:13Z=somebody' names no owner (monolith or service)");
	}

}
