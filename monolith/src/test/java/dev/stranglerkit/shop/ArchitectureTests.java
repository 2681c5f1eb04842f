package dev.stranglerkit.shop;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture rules Spring Modulith does not check, applied to the shop, and each
 * shown to catch the deliberately bad examples under {@code dev.stranglerkit.badshop}
 * (test sources only), so that no rule can silently pass everything.
 */
class ArchitectureTests {

	static final String SHOP = "dev.stranglerkit.shop";

	static final String BAD_SHOP = "dev.stranglerkit.badshop";

	static final JavaClasses SHOP_CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(SHOP);

	static final JavaClasses BAD_CLASSES = new ClassFileImporter().importPackages(BAD_SHOP);

	@ParameterizedTest
	@EnumSource(ShopRules.class)
	void theShopKeepsTheRule(ShopRules rule) {
		rule.of(SHOP).check(SHOP_CLASSES);
	}

	@ParameterizedTest
	@EnumSource(ShopRules.class)
	void theRuleCatchesTheBadExample(ShopRules rule) {
		ArchRule archRule = rule.of(BAD_SHOP);
		assertThat(archRule.evaluate(BAD_CLASSES).hasViolation()).as(archRule.getDescription()).isTrue();
	}

	@Nested
	class SchemaOwnership {

		@Test
		void everyModuleNamesOnlyItsOwnSchema() {
			assertThat(
					SchemaOwnershipCheck.of(SHOP, Path.of("src/main/java"), Path.of("src/main/resources/db/migration"))
						.violations())
				.isEmpty();
		}

		@Test
		void catchesAQueryAndAMigrationNamingAnotherModulesSchema() {
			assertThat(SchemaOwnershipCheck
				.of(BAD_SHOP, Path.of("src/test/java"), Path.of("src/test/resources/badshop/db/migration"))
				.violations())
				.anySatisfy((violation) -> assertThat(violation).contains("CrossSchemaQuery.java")
					.contains("inventory.stock"))
				.anySatisfy((violation) -> assertThat(violation).contains("V1__reads_stock.sql")
					.contains("inventory.stock"));
		}

	}

}
