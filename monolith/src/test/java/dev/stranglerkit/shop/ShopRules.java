package dev.stranglerkit.shop;

import java.util.function.Function;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.stranglerkit.messaging.IntegrationEvent;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;
import org.springframework.stereotype.Controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shop's architecture rules, each a function of the application's base package so
 * that the same rule runs against the shop and against the bad examples that prove it
 * bites. A module is a direct sub-package of the base package; its base package is its
 * API, its sub-packages are internal.
 */
enum ShopRules {

	NO_USE_OF_ANOTHER_MODULES_INTERNALS(
			(base) -> classes().that().resideInAPackage(base + "..").should(notUseTheInternalsOfAnotherModule(base))),

	NO_CYCLES_BETWEEN_MODULES((base) -> slices().matching(base + ".(*)..").should().beFreeOfCycles()),

	EVENTS_ARE_RECORDS((base) -> classes().that()
		.areAnnotatedWith(DomainEvent.class)
		.and()
		.resideInAPackage(base + "..")
		.should()
		.beRecords()),

	EVENTS_LIVE_IN_THEIR_MODULES_BASE_PACKAGE((base) -> classes().that()
		.areAnnotatedWith(DomainEvent.class)
		.and()
		.resideInAPackage(base + "..")
		.should()
		.resideInAPackage(base + ".*")),

	/**
	 * Events say what happened. {@code StockShortage} is the one published name that
	 * predates the rule (the fact that a shortage was found); renaming a published
	 * contract would break its consumers, so it is named here rather than hidden in a
	 * pattern.
	 */
	EVENTS_ARE_NAMED_IN_THE_PAST_TENSE((base) -> classes().that()
		.areAnnotatedWith(DomainEvent.class)
		.and()
		.resideInAPackage(base + "..")
		.should()
		.haveSimpleNameEndingWith("ed")
		.orShould()
		.haveSimpleName("StockShortage")),

	/**
	 * An event that leaves the process needs an id and a time fixed when it was created,
	 * so that its message is the same on every resubmission and consumers can apply it
	 * once.
	 */
	EXTERNALIZED_EVENTS_CARRY_A_STABLE_MESSAGE_ID((base) -> classes().that()
		.areAnnotatedWith(Externalized.class)
		.and()
		.resideInAPackage(base + "..")
		.should()
		.implement(IntegrationEvent.class)),

	NO_FIELD_INJECTION((base) -> noFields().that()
		.areDeclaredInClassesThat()
		.resideInAPackage(base + "..")
		.should(GeneralCodingRules.BE_ANNOTATED_WITH_AN_INJECTION_ANNOTATION)),

	CONTROLLERS_ONLY_IN_A_MODULES_WEB_PACKAGE((base) -> classes().that()
		.areMetaAnnotatedWith(Controller.class)
		.and()
		.resideInAPackage(base + "..")
		.should()
		.resideInAPackage(base + ".*.web.."));

	private final Function<String, ArchRule> rule;

	ShopRules(Function<String, ArchRule> rule) {
		this.rule = rule;
	}

	ArchRule of(String basePackage) {
		return this.rule.apply(basePackage);
	}

	static ArchCondition<JavaClass> notUseTheInternalsOfAnotherModule(String base) {
		return new ArchCondition<>("not use another module's internal packages") {
			@Override
			public void check(JavaClass origin, ConditionEvents events) {
				String ownModule = moduleOf(base, origin.getPackageName());
				for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
					String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
					String targetModule = moduleOf(base, target);
					boolean internal = targetModule != null && !target.equals(base + "." + targetModule);
					if (internal && !targetModule.equals(ownModule)) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}
		};
	}

	private static String moduleOf(String base, String packageName) {
		if (!packageName.startsWith(base + ".")) {
			return null;
		}
		String rest = packageName.substring(base.length() + 1);
		int dot = rest.indexOf('.');
		return (dot < 0) ? rest : rest.substring(0, dot);
	}

}
