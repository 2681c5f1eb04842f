package dev.stranglerkit.shop.catalog;

import java.math.BigDecimal;

import dev.stranglerkit.shop.catalog.internal.CatalogService;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

@ApplicationModuleTest
class CatalogModuleTests {

	private final CatalogService catalog;

	CatalogModuleTests(CatalogService catalog) {
		this.catalog = catalog;
	}

	@Test
	void announcesAnAddedProduct(Scenario scenario) {
		scenario.stimulate(() -> this.catalog.add("Milk jug", new BigDecimal("18.00")))
			.andWaitForEventOfType(ProductAdded.class)
			.toArriveAndVerify((event, product) -> {
				assertThat(event.productId()).isEqualTo(product.id());
				assertThat(event.price()).isEqualByComparingTo("18.00");
				assertThat(this.catalog.find(product.id())).contains(product);
			});
	}

	@Test
	void announcesAPriceChangeOnlyWhenThePriceChanges(Scenario scenario) {
		Product product = this.catalog.add("Scale", new BigDecimal("30.00"));

		scenario.stimulate(() -> this.catalog.changePrice(product.id(), new BigDecimal("27.50")))
			.andWaitForEventOfType(PriceChanged.class)
			.matchingMappedValue(PriceChanged::productId, product.id())
			.toArriveAndVerify((event) -> {
				assertThat(event.oldPrice()).isEqualByComparingTo("30.00");
				assertThat(event.newPrice()).isEqualByComparingTo("27.50");
			});
		assertThat(this.catalog.find(product.id())).map(Product::price).contains(new BigDecimal("27.50"));
	}

}
