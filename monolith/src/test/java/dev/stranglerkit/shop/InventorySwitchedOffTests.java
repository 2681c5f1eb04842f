package dev.stranglerkit.shop;

import java.util.Arrays;

import dev.stranglerkit.messaging.MessageHandlers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step before deleting the inventory module (the guide's step 7): switched off by
 * configuration, in the same build, the monolith neither reacts to orders for the
 * inventory, nor follows the inventory-service's messages, nor answers the inventory's
 * API; its other modules run as before.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "shop.inventory.enabled=false")
class InventorySwitchedOffTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void theInventoryModuleNeitherReactsNorFollowsNorAnswers() {
		assertThat(Arrays.stream(this.context.getBeanDefinitionNames())
			.map((name) -> this.context.getType(name))
			.filter((type) -> type != null && type.getPackageName().startsWith("dev.stranglerkit.shop.inventory"))
			.map(ClassUtils::getUserClass)
			.map(Class::getSimpleName)).as("the inventory's beans")
			.containsOnly("InventoryService", "StockRepository", "ReservationRepository");
		assertThat(this.context.getBeansOfType(MessageHandlers.class).values())
			.flatExtracting((handlers) -> handlers.types())
			.as("message types handled")
			.doesNotContain("inventory.StockAdjusted")
			.contains("inventory.StockReserved", "inventory.StockShortage");

		Http http = new Http("http://127.0.0.1:" + this.port);
		assertThat(http.get("/api/inventory/00000000-0000-0000-0000-000000000001").status()).isEqualTo(404);
		assertThat(http.get("/api/catalog/products").status()).isEqualTo(200);
	}

}
