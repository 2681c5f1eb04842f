package dev.stranglerkit.ownership;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/ownership}: the handoffs this process applies now, per module,
 * exactly as {@link Ownership} reads them: <pre>
 * {"inventory": ["2026-11-24T09:14:10Z=service"], "notifications": []}
 * </pre> Read from {@link OwnershipProperties} on every call, so the answer changes as
 * soon as a bus refresh has rebound them in this process, and not before:
 * {@code ./kit cutover} asks every instance of both sides for its new entry before it
 * lets a handoff stand. Read only; the entries are configuration, not secrets.
 */
@Endpoint(id = "ownership")
class OwnershipEndpoint {

	private final OwnershipProperties properties;

	OwnershipEndpoint(OwnershipProperties properties) {
		this.properties = properties;
	}

	/**
	 * @return module -> its handoffs ({@code <instant>=<monolith|service>}, oldest
	 * first), the modules in alphabetical order
	 */
	@ReadOperation
	Map<String, List<String>> handoffs() {
		return this.properties.handoffs();
	}

}
