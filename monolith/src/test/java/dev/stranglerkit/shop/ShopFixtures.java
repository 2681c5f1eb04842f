package dev.stranglerkit.shop;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Test data made through the public API, so that each test owns its products and stock
 * and tests never disturb each other's figures.
 */
final class ShopFixtures {

	private ShopFixtures() {
	}

	static UUID productWithStock(Http http, String price, int available) {
		Http.Response added = http.post("/api/catalog/products", """
				{"name": "Test product %s", "price": %s}""".formatted(UUID.randomUUID(), price));
		assertThat(added.status()).as(added.body()).isEqualTo(201);
		UUID product = UUID.fromString(added.json().get("id").asString());
		// The inventory learns of the product from the ProductAdded event, after the
		// commit.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> http.put("/api/inventory/" + product, "{\"available\": %d}".formatted(available))
				.status() == 200);
		return product;
	}

}
