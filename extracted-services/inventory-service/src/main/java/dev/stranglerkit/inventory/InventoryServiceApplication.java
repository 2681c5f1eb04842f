package dev.stranglerkit.inventory;

import dev.stranglerkit.ownership.AwaitedDecisions;
import dev.stranglerkit.ownership.OwnershipProperties;
import dev.stranglerkit.web.ProblemDetailsAdvice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inventory-service: the shop's inventory module, extracted. It shares no code with
 * the monolith: it reads and writes the messages of {@code contracts/events/}, keeps the
 * stock and the reservations in its own database (backfilled once from the monolith's),
 * and answers {@code /api/inventory/{productId}} exactly as the monolith does. It follows
 * the monolith until a cutover makes it the inventory's owner ({@link Inventory}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ProblemDetailsAdvice.class)
public class InventoryServiceApplication {

	/**
	 * The reservations this side awaits from the monolith while it owns the inventory,
	 * and those overdue.
	 */
	@Bean
	AwaitedDecisions inventoryAwaitedDecisions(JdbcClient jdbc, OwnershipProperties ownership) {
		return new AwaitedDecisions(Inventory.MODULE, "inventory.reservations", jdbc, ownership);
	}

	public static void main(String[] args) {
		SpringApplication.run(InventoryServiceApplication.class, args);
	}

}
