package dev.stranglerkit.inventory;

import dev.stranglerkit.web.ProblemDetailsAdvice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The inventory-service: the shop's inventory module, extracted. It shares no code with
 * the monolith: it reads and writes the messages of {@code contracts/events/}, keeps the
 * stock and the reservations in its own database (backfilled once from the monolith's),
 * and answers {@code /api/inventory/{productId}} exactly as the monolith does. It follows
 * the monolith until a cutover makes it the inventory's owner
 * ({@link dev.stranglerkit.inventory.internal.InventoryService}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ProblemDetailsAdvice.class)
public class InventoryServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(InventoryServiceApplication.class, args);
	}

}
