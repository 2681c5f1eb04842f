package dev.stranglerkit.ownership;

import java.time.Instant;

import dev.stranglerkit.messaging.MessageNotReadyException;
import dev.stranglerkit.control.Handoff;
import dev.stranglerkit.control.Owner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OwnershipTests {

	static final Instant cutover = Instant.parse("2026-11-23T18:00:05Z");

	static final Instant rollback = Instant.parse("2026-11-23T18:10:00Z");

	@Test
	void theMonolithOwnsAModuleUntilItsFirstHandoff() {
		assertThat(ownership(new MockEnvironment()).ownerAt("notifications", cutover)).isEqualTo(Owner.MONOLITH);
	}

	@Test
	void theEventsTimeDecidesAcrossHandoffs() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.notifications[0]", cutover + "=service")
			.withProperty("kit.ownership.notifications[1]", rollback + "=monolith");
		assertThat(ownership(environment).ownerAt("notifications", cutover.minusMillis(1))).isEqualTo(Owner.MONOLITH);
		assertThat(ownership(environment).ownerAt("notifications", cutover)).isEqualTo(Owner.SERVICE);
		assertThat(ownership(environment).ownerAt("notifications", rollback.minusMillis(1))).isEqualTo(Owner.SERVICE);
		assertThat(ownership(environment).ownerAt("notifications", rollback)).isEqualTo(Owner.MONOLITH);
		assertThat(ownership(environment).ownerAt("inventory", rollback)).isEqualTo(Owner.MONOLITH);
	}

	@Test
	void aHandoffSaysSinceWhenItsOwnerOwnsTheModule() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.inventory[0]", cutover + "=service")
			.withProperty("kit.ownership.inventory[1]", rollback + "=monolith");
		assertThat(ownership(environment).handoffAt("inventory", cutover.minusMillis(1)))
			.isEqualTo(new Handoff(Instant.EPOCH, Owner.MONOLITH));
		assertThat(ownership(environment).handoffAt("inventory", rollback.minusMillis(1)))
			.isEqualTo(new Handoff(cutover, Owner.SERVICE));
		assertThat(ownership(environment).handoffAt("inventory", rollback.plusSeconds(60)))
			.isEqualTo(new Handoff(rollback, Owner.MONOLITH));
	}

	@Test
	void aMalformedHandoffIsAnError() {
		MockEnvironment environment = new MockEnvironment().withProperty("kit.ownership.notifications[0]",
				cutover + "=somebody");
		assertThatIllegalStateException().isThrownBy(() -> ownership(environment).ownerAt("notifications", cutover))
			.withMessageContaining("names no owner");
	}

	@Test
	void onALastKnownConfigurationNoOwnerIsAnsweredUntilTheServersReplacesIt() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.inventory[0]", cutover + "=service")
			.withProperty("kit.config.source", "last-known");
		assertThat(ownership(environment).confirmed()).isFalse();
		assertThatExceptionOfType(OwnershipUnconfirmedException.class)
			.isThrownBy(() -> ownership(environment).handoffAt("inventory", rollback))
			.isInstanceOf(MessageNotReadyException.class)
			.withMessageContaining("the ownership of the inventory is not confirmed");
		MockEnvironment fromTheServer = new MockEnvironment().withProperty("kit.ownership.inventory[0]",
				cutover + "=service");
		assertThat(ownership(fromTheServer).confirmed()).isTrue();
		assertThat(ownership(fromTheServer).ownerAt("inventory", rollback)).isEqualTo(Owner.SERVICE);
	}

	/**
	 * What the application has: the handoffs bound from its environment as
	 * {@code @ConfigurationProperties} bind them.
	 */
	static Ownership ownership(MockEnvironment environment) {
		return new Ownership(Binder.get(environment).bindOrCreate("kit.ownership", OwnershipProperties.class),
				environment);
	}

}
