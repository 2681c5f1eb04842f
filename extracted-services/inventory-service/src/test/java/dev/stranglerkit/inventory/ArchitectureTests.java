package dev.stranglerkit.inventory;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The service shares no domain code with the monolith: nothing of the shop's packages,
 * only the kit's infrastructure starters and its own types for the message contracts.
 */
@AnalyzeClasses(packages = "dev.stranglerkit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule noMonolithCode = noClasses().that()
		.resideInAPackage("dev.stranglerkit.inventory..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.stranglerkit.shop..")
		.because("an extracted service shares no domain code with the monolith (contracts/events/ is the interface)");

	@ArchTest
	static final ArchRule noMonolithOnTheClasspath = noClasses().should()
		.resideInAPackage("dev.stranglerkit.shop..")
		.because("the monolith is not a dependency of an extracted service");

}
