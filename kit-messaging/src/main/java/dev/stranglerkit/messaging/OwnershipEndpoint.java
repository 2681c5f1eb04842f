package dev.stranglerkit.messaging;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * {@code GET /actuator/ownership}: the handoffs this process applies now, per module,
 * exactly as {@link Ownership} reads them: <pre>
 * {"inventory": ["2026-11-24T09:14:10Z=service"], "notifications": []}
 * </pre> Read from the live {@link Environment} on every call, so the answer changes as
 * soon as a bus refresh has reached this process, and not before: {@code ./kit cutover}
 * asks every instance of both sides for its new entry before it lets a handoff stand.
 * Every key under {@code kit.ownership} is a module's list except {@code settle} and
 * {@code overdue-after}. Read only; the entries are configuration, not secrets.
 */
@Endpoint(id = "ownership")
class OwnershipEndpoint {

	private static final ConfigurationPropertyName OWNERSHIP = ConfigurationPropertyName.of("kit.ownership");

	/** the settings under {@code kit.ownership} that are not a module's handoffs */
	private static final Set<String> SETTINGS = Set.of("settle", "overdue-after");

	private final Environment environment;

	OwnershipEndpoint(Environment environment) {
		this.environment = environment;
	}

	/**
	 * @return module -> its handoffs ({@code <instant>=<monolith|service>}, oldest
	 * first), the modules in alphabetical order
	 */
	@ReadOperation
	Map<String, List<String>> handoffs() {
		Map<String, List<String>> handoffs = new TreeMap<>();
		Binder binder = Binder.get(this.environment);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource names) {
				names.stream()
					.filter(OWNERSHIP::isAncestorOf)
					.map((name) -> name.getElement(OWNERSHIP.getNumberOfElements(),
							ConfigurationPropertyName.Form.UNIFORM))
					.filter((module) -> !SETTINGS.contains(module))
					.forEach((module) -> handoffs.computeIfAbsent(module,
							(key) -> binder.bind(OWNERSHIP.append(key), Bindable.listOf(String.class))
								.orElse(List.of())));
			}
		}
		return handoffs;
	}

}
