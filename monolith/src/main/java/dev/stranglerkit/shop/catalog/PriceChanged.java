package dev.stranglerkit.shop.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * A product's price changed. Orders already placed keep the price they were placed with.
 */
@DomainEvent
@Externalized("shop.events::catalog.PriceChanged")
public record PriceChanged(UUID eventId, Instant occurredAt, ProductId productId, BigDecimal oldPrice,
		BigDecimal newPrice) implements IntegrationEvent {

	public PriceChanged(ProductId productId, BigDecimal oldPrice, BigDecimal newPrice) {
		this(UUID.randomUUID(), Instant.now(), productId, oldPrice, newPrice);
	}

}
