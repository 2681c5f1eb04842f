package dev.stranglerkit.shop;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Modulith's verification of the module structure (no cycles, no access to another
 * module's internals), and the module documentation written from the code to
 * {@code target/spring-modulith-docs}.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(ShopApplication.class);

	@Test
	void modulesAreTheFiveOfTheShop() {
		assertThat(MODULES.stream().map((module) -> module.getIdentifier().toString()))
			.containsExactlyInAnyOrder("catalog", "inventory", "orders", "payments", "notifications");
	}

	@Test
	void verifiesTheModuleStructure() {
		MODULES.verify();
	}

	@Test
	void writesTheModuleDocumentation() {
		new Documenter(MODULES).writeDocumentation().writeIndividualModulesAsPlantUml();
	}

}
