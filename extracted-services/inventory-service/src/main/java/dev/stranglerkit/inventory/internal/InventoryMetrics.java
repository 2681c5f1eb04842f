package dev.stranglerkit.inventory.internal;

import dev.stranglerkit.ownership.AwaitedDecisions;
import dev.stranglerkit.ownership.OwnershipProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reservations this side awaits from the monolith while it owns the inventory, and
 * those overdue ({@link AwaitedDecisions}).
 */
@Configuration(proxyBeanMethods = false)
class InventoryMetrics {

	@Bean
	AwaitedDecisions inventoryAwaitedDecisions(JdbcClient jdbc, OwnershipProperties ownership) {
		return new AwaitedDecisions(InventoryService.MODULE, "inventory.reservations", jdbc, ownership);
	}

}
