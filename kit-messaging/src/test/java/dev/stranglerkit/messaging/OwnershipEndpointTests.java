package dev.stranglerkit.messaging;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class OwnershipEndpointTests {

	@Test
	void listsEachModulesHandoffsAsTheEnvironmentHasThemNow() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("kit.ownership.inventory[0]", "2026-11-24T09:14:10Z=service")
			.withProperty("kit.ownership.inventory[1]", "2026-11-24T09:20:00Z=monolith")
			.withProperty("kit.ownership.notifications", "")
			.withProperty("kit.ownership.settle", "2s");
		OwnershipEndpoint endpoint = new OwnershipEndpoint(environment);
		assertThat(endpoint.handoffs()).containsExactly(
				java.util.Map.entry("inventory",
						List.of("2026-11-24T09:14:10Z=service", "2026-11-24T09:20:00Z=monolith")),
				java.util.Map.entry("notifications", List.of()));

		// a refresh changes the environment: the next answer has it
		environment.setProperty("kit.ownership.inventory[2]", "2026-11-24T10:00:00Z=service");
		assertThat(endpoint.handoffs()).containsEntry("inventory", List.of("2026-11-24T09:14:10Z=service",
				"2026-11-24T09:20:00Z=monolith", "2026-11-24T10:00:00Z=service"));
	}

	@Test
	void isThereOnlyWhenTheApplicationExposesIt() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OwnershipAutoConfiguration.class));
		runner.run((context) -> assertThat(context).doesNotHaveBean(OwnershipEndpoint.class));
		runner.withPropertyValues("management.endpoints.web.exposure.include=health,ownership")
			.run((context) -> assertThat(context).hasSingleBean(OwnershipEndpoint.class));
	}

}
