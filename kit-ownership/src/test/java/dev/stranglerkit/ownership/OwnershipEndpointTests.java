package dev.stranglerkit.ownership;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;

import static org.assertj.core.api.Assertions.assertThat;

class OwnershipEndpointTests {

	@Test
	void listsEachModulesHandoffsAsTheEnvironmentHasThemNow() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConfigurationPropertiesRebinderAutoConfiguration.class,
					OwnershipAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=ownership",
					"kit.ownership.inventory[0]=2026-11-24T09:14:10Z=service",
					"kit.ownership.inventory[1]=2026-11-24T09:20:00Z=monolith", "kit.ownership.notifications=",
					"kit.ownership.settle=2s")
			.run((context) -> {
				OwnershipEndpoint endpoint = context.getBean(OwnershipEndpoint.class);
				assertThat(endpoint.handoffs()).containsExactly(
						Map.entry("inventory",
								List.of("2026-11-24T09:14:10Z=service", "2026-11-24T09:20:00Z=monolith")),
						Map.entry("notifications", List.of()));

				// a refresh changes the environment and rebinds the handoffs: the next
				// answer has it
				TestPropertyValues.of("kit.ownership.inventory[2]=2026-11-24T10:00:00Z=service").applyTo(context);
				context.publishEvent(new EnvironmentChangeEvent(context.getSourceApplicationContext(),
						Set.of("kit.ownership.inventory[2]")));
				assertThat(endpoint.handoffs()).containsEntry("inventory", List.of("2026-11-24T09:14:10Z=service",
						"2026-11-24T09:20:00Z=monolith", "2026-11-24T10:00:00Z=service"));
			});
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
