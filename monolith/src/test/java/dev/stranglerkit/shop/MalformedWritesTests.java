package dev.stranglerkit.shop;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every write of the shop's API refuses malformed input with a problem and changes
 * nothing, for requests generated from its contract ({@code contracts/openapi/}): each
 * starts from a valid request of the operation and breaks it once where the contract says
 * what is allowed (a required field left out or null, a value of the wrong type, a number
 * or a length beyond its bounds, a string off its pattern, an id that is no UUID, a body
 * that is no JSON object). The cases come from a seeded random source
 * ({@code -Dkit.malformed.seed}, {@code -Dkit.malformed.cases}): the same seed gives the
 * same cases, and a failure names its case.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MalformedWritesTests {

	static final long SEED = Long.getLong("kit.malformed.seed", 20261206L);

	static final int CASES = Integer.getInteger("kit.malformed.cases", 150);

	/** a product of the sample catalogue, which a valid order names */
	static final String PRODUCT = "00000000-0000-0000-0000-000000000001";

	/**
	 * the product whose price and stock the writes of this test would change: its own, so
	 * that nothing else (an order of another test) changes them meanwhile
	 */
	static String product;

	/** per write of the contract: a valid request (the path's id: {@link #product}) */
	static final Map<String, String> VALID = Map.of("POST /api/catalog/products",
			"{\"name\": \"Widget\", \"price\": 9.99}", "PUT /api/catalog/products/{id}/price", "{\"price\": 12.50}",
			"PUT /api/inventory/{productId}", "{\"available\": 25}", "POST /api/orders",
			"{\"customerId\": \"c-1\", \"card\": \"4242424242424242\", \"lines\": [{\"productId\": \"" + PRODUCT
					+ "\", \"quantity\": 1}]}");

	/**
	 * per write of the contract: the statuses it documents a problem for (read with the
	 * cases)
	 */
	static final Map<String, List<String>> DOCUMENTED = new ConcurrentHashMap<>();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Http http;

	@BeforeEach
	void connectAndStockAProductOfItsOwn() {
		this.http = new Http("http://127.0.0.1:" + this.port);
		if (product == null) {
			Http.Response added = this.http.post("/api/catalog/products",
					"{\"name\": \"malformed writes' product\", \"price\": 5.00}");
			assertThat(added.status()).as(added.body()).isEqualTo(201);
			String id = added.location().substring(added.location().lastIndexOf('/') + 1);
			// the inventory keeps stock for a product once it heard of it
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.http.put("/api/inventory/" + id, "{\"available\": 7}").status() == 200);
			product = id;
		}
	}

	@ParameterizedTest(name = "{index}: {0} {1}: {3}")
	@MethodSource("malformedWrites")
	void aMalformedWriteGetsAProblemAndChangesNothing(String method, String template, String body, String broken) {
		String path = template.replaceAll("\\{[^}]+}", product);
		Map<String, Object> before = state();

		Http.Response response = method.equals("POST") ? this.http.post(path, body) : this.http.put(path, body);

		assertThat(response.status()).as(response.body()).isBetween(400, 499);
		assertThat(documented(method, template)).as("the problems the contract documents for it")
			.contains(String.valueOf(response.status()));
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = read(response.body());
		assertThat(problem.path("status").asInt()).isEqualTo(response.status());
		assertThat(problem.path("detail").asText()).isNotBlank();
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
		assertThat(state()).as("what a write could have changed").isEqualTo(before);
	}

	/** the problems the contract documents for the write whose path this is */
	private static List<String> documented(String method, String path) {
		return DOCUMENTED.entrySet()
			.stream()
			.filter((write) -> (method + " " + path).matches(write.getKey().replaceAll("\\{[^}]+}", "[^/]+")))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElseThrow();
	}

	/** what any write of the contract could change */
	private Map<String, Object> state() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("products", this.jdbc.sql("SELECT count(*) FROM catalog.products").query(Long.class).single());
		state.put("price",
				this.jdbc.sql("SELECT price FROM catalog.products WHERE id = ?::uuid")
					.param(product)
					.query(BigDecimal.class)
					.single());
		state.put("stock",
				this.jdbc.sql("SELECT available || '/' || reserved FROM inventory.stock WHERE product_id = ?::uuid")
					.param(product)
					.query(String.class)
					.single());
		state.put("orders", this.jdbc.sql("SELECT count(*) FROM orders.orders").query(Long.class).single());
		state.put("OrderPlaced",
				this.jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type LIKE '%OrderPlaced%'")
					.query(Long.class)
					.single());
		return state;
	}

	static Stream<Arguments> malformedWrites() throws Exception {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setResolveFully(true);
		OpenAPI contract = new OpenAPIV3Parser()
			.readContents(Files.readString(ApiContractTests.CONTRACT), null, options)
			.getOpenAPI();
		List<Write> writes = new ArrayList<>();
		contract.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			if (operation.getRequestBody() != null) {
				writes.add(new Write(method.name(), path, operation));
				DOCUMENTED.put(method.name() + " " + path,
						operation.getResponses()
							.entrySet()
							.stream()
							.filter((response) -> response.getValue().getContent() != null
									&& response.getValue().getContent().containsKey("application/problem+json"))
							.map(Map.Entry::getKey)
							.toList());
			}
		}));
		assertThat(writes).extracting((write) -> write.method() + " " + write.path())
			.containsExactlyInAnyOrderElementsOf(VALID.keySet());
		Random random = new Random(SEED);
		List<Arguments> cases = new ArrayList<>();
		for (int i = 0; i < CASES; i++) {
			Write write = writes.get(random.nextInt(writes.size()));
			cases.add(write.broken(random));
		}
		return cases.stream();
	}

	/** A write of the contract, and how to break a valid request of it. */
	record Write(String method, String path, Operation operation) {

		Arguments broken(Random random) {
			String valid = VALID.get(this.method + " " + this.path);
			String path = this.path;
			switch (random.nextInt(12)) {
				case 0 -> {
					String cut = valid.substring(0, 1 + random.nextInt(valid.length() - 1));
					return Arguments.of(this.method, path, cut, "cut after " + cut.length() + " characters");
				}
				case 1 -> {
					String other = List.of("[]", "\"text\"", "42", "null", "").get(random.nextInt(5));
					return Arguments.of(this.method, path, other, "a body of " + other);
				}
				case 2 -> {
					if (this.path.contains("{")) {
						String id = List.of("42", "not-a-uuid", PRODUCT + "0").get(random.nextInt(3));
						return Arguments.of(this.method, this.path.replaceAll("\\{[^}]+}", id), valid,
								"the path's id " + id);
					}
				}
				default -> {
				}
			}
			Schema<?> schema = this.operation.getRequestBody().getContent().get("application/json").getSchema();
			JsonNode body = read(valid);
			List<Location> locations = new ArrayList<>();
			collect(schema, body, new ArrayList<>(), locations);
			Location location = locations.get(random.nextInt(locations.size()));
			List<Breakage> breakages = location.breakages();
			Breakage breakage = breakages.get(random.nextInt(breakages.size()));
			JsonNode copy = body.deepCopy();
			location.apply(copy, breakage.value());
			return Arguments.of(this.method, path, copy.toString(),
					String.join(".", location.at()) + ": " + breakage.why());
		}

		/** every value of the body, with its schema and whether its parent requires it */
		private static void collect(Schema<?> schema, JsonNode value, List<String> at, List<Location> locations) {
			if (schema.getProperties() != null && value.isObject()) {
				schema.getProperties().forEach((name, property) -> {
					List<String> here = new ArrayList<>(at);
					here.add(name);
					boolean required = schema.getRequired() != null && schema.getRequired().contains(name);
					locations.add(new Location(here, property, required));
					if (value.has(name)) {
						collect(property, value.get(name), here, locations);
					}
				});
			}
			if (schema.getItems() != null && value.isArray() && !value.isEmpty()) {
				List<String> here = new ArrayList<>(at);
				here.add("0");
				collect(schema.getItems(), value.get(0), here, locations);
			}
		}

	}

	/** One value of a body: where it is, what the contract allows there. */
	record Location(List<String> at, Schema<?> schema, boolean required) {

		/** the ways to break it that the contract rules out (null value: leave it out) */
		List<Breakage> breakages() {
			JsonNodeFactory nodes = JsonNodeFactory.instance;
			List<Breakage> breakages = new ArrayList<>();
			if (this.required) {
				breakages.add(new Breakage(null, "left out, though required"));
				breakages.add(new Breakage(nodes.nullNode(), "null, though required"));
			}
			String type = (this.schema.getType() != null) ? this.schema.getType()
					: (this.schema.getTypes() != null && !this.schema.getTypes().isEmpty())
							? this.schema.getTypes().iterator().next() : "object";
			switch (type) {
				case "string" -> {
					breakages.add(new Breakage(nodes.objectNode(), "an object for a string"));
					breakages.add(new Breakage(nodes.arrayNode(), "an array for a string"));
					if ("uuid".equals(this.schema.getFormat())) {
						breakages.add(new Breakage(nodes.textNode("not-a-uuid"), "no UUID"));
					}
					if (this.schema.getMaxLength() != null) {
						breakages.add(new Breakage(nodes.textNode("x".repeat(this.schema.getMaxLength() + 1)),
								"longer than " + this.schema.getMaxLength()));
					}
					if (this.schema.getMinLength() != null && this.schema.getMinLength() > 0) {
						breakages.add(new Breakage(nodes.textNode(""), "shorter than " + this.schema.getMinLength()));
					}
					if (this.schema.getPattern() != null) {
						breakages
							.add(new Breakage(nodes.textNode("abc"), "off the pattern " + this.schema.getPattern()));
					}
				}
				case "integer", "number" -> {
					breakages.add(new Breakage(nodes.textNode("many"), "a word for a number"));
					breakages.add(new Breakage(nodes.objectNode(), "an object for a number"));
					if (this.schema.getMinimum() != null) {
						breakages.add(new Breakage(nodes.numberNode(this.schema.getMinimum().subtract(BigDecimal.ONE)),
								"below " + this.schema.getMinimum()));
					}
					if (this.schema.getMaximum() != null) {
						breakages.add(new Breakage(nodes.numberNode(this.schema.getMaximum().add(BigDecimal.ONE)),
								"above " + this.schema.getMaximum()));
					}
				}
				case "array" -> {
					breakages.add(new Breakage(nodes.objectNode(), "an object for an array"));
					if (this.schema.getMinItems() != null && this.schema.getMinItems() > 0) {
						breakages.add(new Breakage(nodes.arrayNode(), "fewer items than " + this.schema.getMinItems()));
					}
				}
				default -> breakages.add(new Breakage(nodes.textNode("text"), "text for an object"));
			}
			return breakages;
		}

		/** sets (or, for a null value, removes) the value at this location */
		void apply(JsonNode body, JsonNode value) {
			JsonNode parent = body;
			for (String step : this.at.subList(0, this.at.size() - 1)) {
				parent = parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
			}
			String last = this.at.get(this.at.size() - 1);
			if (parent instanceof ArrayNode array) {
				array.set(Integer.parseInt(last), value);
			}
			else if (value == null) {
				((ObjectNode) parent).remove(last);
			}
			else {
				((ObjectNode) parent).set(last, value);
			}
		}

	}

	/** a value that breaks a request (null: the field left out), and why */
	record Breakage(JsonNode value, String why) {
	}

	static JsonNode read(String json) {
		try {
			return Json.mapper().readTree(json);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
