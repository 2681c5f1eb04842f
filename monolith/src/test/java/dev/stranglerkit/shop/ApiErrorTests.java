package dev.stranglerkit.shop;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a problem with the right status and a clear detail, and changes nothing:
 * no order stored, no event published.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiErrorTests {

	static final String SAMPLE_PRODUCT = "00000000-0000-0000-0000-000000000001";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Http http;

	@BeforeEach
	void connect() {
		this.http = new Http("http://127.0.0.1:" + this.port);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					malformed JSON             | {"customerId": "c-1", "card": | 400 | Malformed request body
					an array instead of object | []                            | 400 | Malformed request body
					a missing customer         | {"card": "4242424242424242", "lines": [{"productId": "00000000-0000-0000-0000-000000000001", "quantity": 1}]} | 422 | customerId must not be blank
					a missing card             | {"customerId": "c-1", "lines": [{"productId": "00000000-0000-0000-0000-000000000001", "quantity": 1}]} | 422 | card must not be null
					no lines                   | {"customerId": "c-1", "card": "4242424242424242", "lines": []} | 422 | lines must not be empty
					a quantity below 1         | {"customerId": "c-1", "card": "4242424242424242", "lines": [{"productId": "00000000-0000-0000-0000-000000000001", "quantity": 0}]} | 422 | lines[0].quantity must be greater than or equal to 1
					a missing product id       | {"customerId": "c-1", "card": "4242424242424242", "lines": [{"quantity": 1}]} | 422 | lines[0].productId must not be null
					a product id not a UUID    | {"customerId": "c-1", "card": "4242424242424242", "lines": [{"productId": "nope", "quantity": 1}]} | 400 | Malformed request body
					an invalid card number     | {"customerId": "c-1", "card": "4242424242424241", "lines": [{"productId": "00000000-0000-0000-0000-000000000001", "quantity": 1}]} | 422 | card is not a valid card number
					an unknown product         | {"customerId": "c-1", "card": "4242424242424242", "lines": [{"productId": "00000000-0000-0000-0000-0000000000ff", "quantity": 1}]} | 422 | Unknown product(s): [00000000-0000-0000-0000-0000000000ff]
					a product given twice      | {"customerId": "c-1", "card": "4242424242424242", "lines": [{"productId": "00000000-0000-0000-0000-000000000001", "quantity": 1}, {"productId": "00000000-0000-0000-0000-000000000001", "quantity": 2}]} | 422 | appears on more than one line
					""")
	void rejectsBadOrdersWithoutStoringOrPublishingAnything(String what, String body, int status, String detail) {
		long orders = count("orders.orders");
		long publications = placedOrderPublications();

		Http.Response response = this.http.post("/api/orders", body);

		assertProblem(response, status, detail);
		assertThat(count("orders.orders")).as("orders stored").isEqualTo(orders);
		assertThat(placedOrderPublications()).as("OrderPlaced events published").isEqualTo(publications);
	}

	@Test
	void rejectsAWrongContentType() {
		long orders = count("orders.orders");

		Http.Response response = this.http.post("/api/orders", "customerId=c-1", "text/plain");

		assertProblem(response, 415, "Content-Type 'text/plain");
		assertThat(count("orders.orders")).isEqualTo(orders);
	}

	@Test
	void answersUnknownThingsWithNotFound() {
		UUID unknown = UUID.randomUUID();
		assertProblem(this.http.get("/api/orders/" + unknown), 404, "No order with id " + unknown);
		assertProblem(this.http.get("/api/catalog/products/" + unknown), 404, "No product with id " + unknown);
		assertProblem(this.http.get("/api/inventory/" + unknown), 404, "No stock is kept for product " + unknown);
		assertProblem(this.http.put("/api/inventory/" + unknown, "{\"available\": 3}"), 404,
				"No stock is kept for product " + unknown);
		assertProblem(this.http.get("/api/nothing-here"), 404, "No static resource");
	}

	@Test
	void rejectsIdsThatAreNotUuids() {
		assertProblem(this.http.get("/api/orders/42"), 400, "Invalid value '42' for 'id'");
		assertProblem(this.http.get("/api/payments?orderId=x"), 400, "Invalid value 'x' for 'orderId'");
		assertProblem(this.http.get("/api/notifications"), 400, "orderId");
	}

	@Test
	void rejectsBadProductsAndStockWithoutChangingAnything() {
		long products = count("catalog.products");
		assertProblem(this.http.post("/api/catalog/products", "{\"price\": 3.50}"), 422, "name must not be blank");
		assertProblem(this.http.post("/api/catalog/products", "{\"name\": \"Free\", \"price\": 0}"), 422,
				"price must be greater than or equal to 0.01");
		assertThat(count("catalog.products")).isEqualTo(products);

		JsonNode before = this.http.get("/api/inventory/" + SAMPLE_PRODUCT).json();
		assertProblem(this.http.put("/api/inventory/" + SAMPLE_PRODUCT, "{\"available\": -1}"), 422,
				"available must be greater than or equal to 0");
		assertProblem(this.http.put("/api/inventory/" + SAMPLE_PRODUCT, "{}"), 422, "available must not be null");
		assertThat(this.http.get("/api/inventory/" + SAMPLE_PRODUCT).json()).isEqualTo(before);
	}

	private void assertProblem(Http.Response response, int status, String detail) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asString()).contains(detail);
		assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
	}

	private long placedOrderPublications() {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type = ?")
			.param(dev.stranglerkit.shop.orders.OrderPlaced.class.getName())
			.query(Long.class)
			.single();
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

}
