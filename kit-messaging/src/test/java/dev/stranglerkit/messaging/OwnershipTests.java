package dev.stranglerkit.messaging;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OwnershipTests {

	static final Instant cutover = Instant.parse("2026-11-23T18:00:05Z");

	static final Instant rollback = Instant.parse("2026-11-23T18:10:00Z");

	@Test
	void theMonolithOwnsAModuleUntilItsFirstHandoff() {
		assertThat(Ownership.ownerAt(new MockEnvironment(), "notifications", cutover)).isEqualTo("monolith");
	}

	@Test
	void theEventsTimeDecidesAcrossHandoffs() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.notifications[0]", cutover + "=service")
			.withProperty("kit.ownership.notifications[1]", rollback + "=monolith");
		assertThat(Ownership.ownerAt(environment, "notifications", cutover.minusMillis(1))).isEqualTo("monolith");
		assertThat(Ownership.ownerAt(environment, "notifications", cutover)).isEqualTo("service");
		assertThat(Ownership.ownerAt(environment, "notifications", rollback.minusMillis(1))).isEqualTo("service");
		assertThat(Ownership.ownerAt(environment, "notifications", rollback)).isEqualTo("monolith");
		assertThat(Ownership.ownerAt(environment, "inventory", rollback)).isEqualTo("monolith");
	}

	@Test
	void aHandoffSaysSinceWhenItsOwnerOwnsTheModule() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.inventory[0]", cutover + "=service")
			.withProperty("kit.ownership.inventory[1]", rollback + "=monolith");
		assertThat(Ownership.handoffAt(environment, "inventory", cutover.minusMillis(1)))
			.isEqualTo(new Ownership.Handoff(Instant.EPOCH, "monolith"));
		assertThat(Ownership.handoffAt(environment, "inventory", rollback.minusMillis(1)))
			.isEqualTo(new Ownership.Handoff(cutover, "service"));
		assertThat(Ownership.handoffAt(environment, "inventory", rollback.plusSeconds(60)))
			.isEqualTo(new Ownership.Handoff(rollback, "monolith"));
	}

	@Test
	void aMalformedHandoffIsAnError() {
		MockEnvironment environment = new MockEnvironment().withProperty("kit.ownership.notifications[0]",
				cutover + "=somebody");
		assertThatIllegalStateException().isThrownBy(() -> Ownership.ownerAt(environment, "notifications", cutover))
			.withMessageContaining("names no owner");
	}

	@Test
	void onALastKnownConfigurationNoOwnerIsAnsweredUntilTheServersReplacesIt() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.inventory[0]", cutover + "=service")
			.withProperty("kit.config.source", "last-known");
		assertThat(Ownership.confirmed(environment)).isFalse();
		assertThatExceptionOfType(OwnershipUnconfirmedException.class)
			.isThrownBy(() -> Ownership.handoffAt(environment, "inventory", rollback))
			.isInstanceOf(MessageNotReadyException.class)
			.withMessageContaining("the ownership of the inventory is not confirmed");
		MockEnvironment fromTheServer = new MockEnvironment().withProperty("kit.ownership.inventory[0]",
				cutover + "=service");
		assertThat(Ownership.confirmed(fromTheServer)).isTrue();
		assertThat(Ownership.ownerAt(fromTheServer, "inventory", rollback)).isEqualTo("service");
	}

}
