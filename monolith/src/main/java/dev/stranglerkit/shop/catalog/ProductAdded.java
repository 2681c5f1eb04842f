package dev.stranglerkit.shop.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * A product was added to the catalog.
 */
@DomainEvent
@Externalized("shop.events::catalog.ProductAdded")
public record ProductAdded(UUID eventId, Instant occurredAt, ProductId productId, String name,
		BigDecimal price) implements IntegrationEvent {

	public ProductAdded(ProductId productId, String name, BigDecimal price) {
		this(UUID.randomUUID(), Instant.now(), productId, name, price);
	}

}
