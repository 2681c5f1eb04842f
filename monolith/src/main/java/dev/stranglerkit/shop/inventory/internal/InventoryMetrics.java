package dev.stranglerkit.shop.inventory.internal;

import dev.stranglerkit.ownership.AwaitedDecisions;
import dev.stranglerkit.ownership.OwnershipProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reservations this side awaits from the inventory-service while it owns the
 * inventory, and those overdue ({@link AwaitedDecisions}); none once the module is
 * switched off (it follows no more).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "shop.inventory.enabled", matchIfMissing = true)
class InventoryMetrics {

	@Bean
	AwaitedDecisions inventoryAwaitedDecisions(JdbcClient jdbc, OwnershipProperties ownership) {
		return new AwaitedDecisions(InventoryService.MODULE, "inventory.reservations", jdbc, ownership);
	}

}
