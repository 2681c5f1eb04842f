package dev.stranglerkit.shop.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

/**
 * A scenario of {@code contracts/behaviour/inventory/}, read as its README describes it:
 * what the inventory is given and what it must decide, written from the side under test
 * ({@code self}). The inventory-service reads the same files with a reader of its own.
 */
record BehaviourScenario(String description, List<String> ownership, String settle, Map<String, Integer> stock,
		List<Map<String, Map<String, Object>>> steps, Outcome expect) {

	static final Path FOLDER = Path.of("..", "contracts", "behaviour", "inventory");

	static List<String> files() throws IOException {
		try (Stream<Path> files = Files.list(FOLDER)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".yaml"))
				.sorted()
				.toList();
		}
	}

	static BehaviourScenario read(String file) throws IOException {
		Object yaml = new Yaml().load(Files.readString(FOLDER.resolve(file)));
		return JsonMapper.builder().build().convertValue(yaml, BehaviourScenario.class);
	}

	/**
	 * @return {@code kit.ownership.inventory} for a run whose steps start at
	 * {@code start}, with {@code self} and {@code other} named as this side's
	 * configuration names them
	 */
	List<String> handoffs(Instant start, String self, String other) {
		return Optional.ofNullable(this.ownership).orElse(List.of("-3650d=self")).stream().map((handoff) -> {
			String[] entry = handoff.split("=");
			return at(start, entry[0]) + "=" + (entry[1].equals("self") ? self : other);
		}).toList();
	}

	Optional<Duration> settleTime() {
		return Optional.ofNullable(this.settle).map(DurationStyle::detectAndParse);
	}

	List<Step> inputs() {
		return this.steps.stream().map((step) -> {
			Map.Entry<String, Map<String, Object>> input = step.entrySet().iterator().next();
			return new Step(input.getKey(), input.getValue());
		}).toList();
	}

	static Instant at(Instant start, String offset) {
		return start.plus(DurationStyle.detectAndParse(offset));
	}

	/** One input: its type and its fields, names standing for ids. */
	record Step(String input, Map<String, Object> fields) {

		/** What happens to the input when it arrives: applied, waits or refused. */
		String then() {
			return (String) this.fields.getOrDefault("then", "applied");
		}

		String name(String field) {
			return (String) this.fields.get(field);
		}

		int number(String field) {
			return (Integer) this.fields.get(field);
		}

		@SuppressWarnings("unchecked")
		Map<String, Integer> lines() {
			return (Map<String, Integer>) this.fields.get("lines");
		}

		/** When the input happened: its {@code at}, or now. */
		Instant at(Instant start) {
			return this.fields.containsKey("at") ? BehaviourScenario.at(start, name("at")) : Instant.now();
		}

	}

	/**
	 * What comes out: the events the side published ({@code type -> fields}), the stock
	 * ({@code product -> available, reserved}) and the reservations
	 * ({@code order -> status}).
	 */
	record Outcome(List<Map<String, Map<String, Object>>> published, Map<String, Map<String, Integer>> stock,
			Map<String, String> reservations) {

		Outcome {
			published = (published != null) ? published : List.of();
		}

	}

	/** The ids a run gives the scenario's names, both ways. */
	static final class Names {

		private final Map<String, UUID> ids = new HashMap<>();

		UUID id(String name) {
			return this.ids.computeIfAbsent(name, (key) -> UUID.randomUUID());
		}

		String name(UUID id) {
			return this.ids.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().equals(id))
				.map(Map.Entry::getKey)
				.findFirst()
				.orElse(id.toString());
		}

	}

}
