package dev.stranglerkit.inventory;

import java.util.UUID;

import dev.stranglerkit.messaging.MessageHandlers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the service does with each message its queue receives: the order events (decided
 * as owner or follower) and the monolith's inventory events (followed while the monolith
 * owns the inventory). The kit's consumer applies each message once; a message that
 * depends on another one not applied yet waits for it.
 */
@Configuration(proxyBeanMethods = false)
class InventoryMessages {

	@Bean
	MessageHandlers inventoryHandlers(Inventory inventory) {
		return MessageHandlers.create()
			.on("catalog.ProductAdded", Messages.ProductAdded.class,
					(product, envelope) -> inventory.track(product.productId()))
			.on("orders.OrderPlaced", Messages.OrderPlaced.class,
					(order, envelope) -> inventory.orderPlaced(order.orderId(), envelope.occurredAt(), order.lines()))
			.on("orders.OrderConfirmed", Messages.OrderConfirmed.class,
					(order, envelope) -> inventory.commit(order.orderId()))
			.on("orders.OrderCancelled", Messages.OrderCancelled.class,
					(order, envelope) -> inventory.release(order.orderId(), envelope.occurredAt()))
			.on("inventory.StockReserved", Messages.StockReserved.class,
					(reserved, envelope) -> inventory.reservedByOwner(reserved.orderId(), reserved.lines()))
			.on("inventory.StockShortage", Messages.StockShortage.class,
					(shortage, envelope) -> inventory.rejectedByOwner(shortage.orderId()))
			.on("inventory.StockAdjusted", Messages.StockAdjusted.class,
					(adjusted, envelope) -> inventory.adjustedByOwner(UUID.fromString(envelope.messageId()),
							adjusted.productId(), adjusted.previouslyAvailable(), adjusted.available()))
			// the release itself follows from the order's cancellation, on both sides
			.on("inventory.StockReleased", Messages.StockReleased.class, (released, envelope) -> {
			});
	}

}
