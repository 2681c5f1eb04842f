package dev.stranglerkit.ownership;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;

/**
 * {@code kit.ownership}: who owns each extracted module's behaviour over time, and how a
 * handoff settles. Kept once, in config-repo's {@code application.yml}, for the monolith
 * and the services alike: <pre>
 * kit:
 *   ownership:
 *     inventory: ["2026-11-24T09:14:10Z=service"]   # a module's handoffs, oldest first
 *     notifications: []
 *     settle: 2s
 *     overdue-after: 30s
 * </pre> A mutable bean on purpose: Spring Cloud rebinds it on every refresh
 * (ConfigurationPropertiesRebinder), so a handoff that {@code ./kit cutover} writes
 * applies without a restart; everything that decides by ownership reads it at each use
 * (volatile: a refresh rebinds it on another thread than the consumers' and requests').
 */
@ConfigurationProperties("kit.ownership")
public class OwnershipProperties {

	/** the keys under {@code kit.ownership} that are settings, not a module's handoffs */
	private static final Set<String> SETTINGS = Set.of("settle", "overdue-after");

	/**
	 * Every key under {@code kit.ownership} but the settings is a module's list (the
	 * shape kit-control writes), so the map binds to the prefix itself; the settings are
	 * taken out again in {@link #setModules}.
	 */
	@Name("")
	private volatile Map<String, List<String>> modules = Map.of();

	private volatile Duration settle = Duration.ofSeconds(2);

	private volatile Duration overdueAfter = Duration.ofSeconds(30);

	/**
	 * @return module -> its handoffs ({@code <instant>=<monolith|service>}, oldest
	 * first), the modules in alphabetical order
	 */
	public Map<String, List<String>> handoffs() {
		return this.modules;
	}

	/**
	 * @return a module's handoffs, oldest first; none for a module not configured
	 */
	public List<String> handoffs(String module) {
		return this.modules.getOrDefault(module, List.of());
	}

	/**
	 * Binds the modules' lists (a fresh map on every bind: no getter offers the old one
	 * to merge into, so a refresh replaces every list).
	 */
	public void setModules(Map<String, List<String>> modules) {
		Map<String, List<String>> lists = new TreeMap<>(modules);
		lists.keySet().removeAll(SETTINGS);
		this.modules = Collections.unmodifiableMap(lists);
	}

	/**
	 * @return how long after its handoff's instant a new owner of a module first decides,
	 * so that every event from before the handoff has reached it
	 */
	public Duration getSettle() {
		return this.settle;
	}

	public void setSettle(Duration settle) {
		this.settle = settle;
	}

	/**
	 * @return how long a decision awaited from the other owner may take before it is
	 * overdue ({@link AwaitedDecisions})
	 */
	public Duration getOverdueAfter() {
		return this.overdueAfter;
	}

	public void setOverdueAfter(Duration overdueAfter) {
		this.overdueAfter = overdueAfter;
	}

}
