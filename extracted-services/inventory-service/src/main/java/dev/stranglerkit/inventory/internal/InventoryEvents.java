package dev.stranglerkit.inventory.internal;

import java.util.List;
import java.util.UUID;

import dev.stranglerkit.inventory.OrderId;
import dev.stranglerkit.inventory.ProductId;
import dev.stranglerkit.inventory.StockLine;
import dev.stranglerkit.messaging.MessageHandlers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inventory's part of the saga, as the module's listeners have it: the order events,
 * or the orchestrator's commands (decided by {@link InventoryService} as owner or
 * follower), and the monolith's inventory events, which the service follows while the
 * monolith owns the inventory. All of them arrive here as messages
 * ({@code contracts/events/}), bound to the service's own payload types (only the fields
 * it needs); the kit's consumer applies each message once, and one that depends on
 * another not applied yet waits for it.
 */
@Configuration(proxyBeanMethods = false)
class InventoryEvents {

	private final InventoryService inventory;

	InventoryEvents(InventoryService inventory) {
		this.inventory = inventory;
	}

	@Bean
	MessageHandlers inventoryHandlers() {
		return MessageHandlers.create()
			.on("catalog.ProductAdded", ProductAdded.class,
					(message, envelope) -> this.inventory.track(new ProductId(message.productId())))
			.on("orders.OrderPlaced", OrderPlaced.class,
					(message, envelope) -> this.inventory.orderPlaced(new OrderId(message.orderId()),
							envelope.occurredAt(), lines(message.lines())))
			.on("orders.OrderConfirmed", OrderConfirmed.class,
					(message, envelope) -> this.inventory.commit(new OrderId(message.orderId())))
			.on("orders.OrderCancelled", OrderCancelled.class,
					(message, envelope) -> this.inventory.release(new OrderId(message.orderId()),
							envelope.occurredAt()))
			// the orchestrated saga's commands (shop.saga.style: orchestration)
			.on("orders.ReserveStock", ReserveStock.class,
					(message, envelope) -> this.inventory.reserveCommanded(new OrderId(message.orderId()),
							message.placedAt(), lines(message.lines()), message.attempt() > 1))
			.on("orders.ReleaseStock", ReleaseStock.class,
					(message, envelope) -> this.inventory.releaseCommanded(new OrderId(message.orderId()),
							envelope.occurredAt()))
			.on("inventory.StockReserved", Reserved.class,
					(message, envelope) -> this.inventory.reservedByOwner(new OrderId(message.orderId()),
							lines(message.lines())))
			.on("inventory.StockShortage", Shortage.class,
					(message, envelope) -> this.inventory.rejectedByOwner(new OrderId(message.orderId())))
			.on("inventory.StockAdjusted", Adjusted.class,
					(message, envelope) -> this.inventory.adjustedByOwner(UUID.fromString(envelope.messageId()),
							new ProductId(message.productId()), message.previouslyAvailable(), message.available()))
			// the release itself follows from the order's cancellation, on both sides
			.on("inventory.StockReleased", Released.class, (message, envelope) -> {
			});
	}

	private static List<StockLine> lines(List<Line> lines) {
		return lines.stream().map((line) -> new StockLine(new ProductId(line.productId()), line.quantity())).toList();
	}

	record Line(UUID productId, int quantity) {
	}

	/** {@code catalog.ProductAdded} */
	record ProductAdded(UUID productId) {
	}

	/** {@code orders.OrderPlaced} */
	record OrderPlaced(UUID orderId, List<Line> lines) {
	}

	/** {@code orders.OrderConfirmed} */
	record OrderConfirmed(UUID orderId) {
	}

	/** {@code orders.OrderCancelled} */
	record OrderCancelled(UUID orderId) {
	}

	/** {@code orders.ReserveStock}: the orchestrator's command */
	record ReserveStock(UUID orderId, java.time.Instant placedAt, List<Line> lines, int attempt) {
	}

	/** {@code orders.ReleaseStock}: the orchestrator's compensation */
	record ReleaseStock(UUID orderId) {
	}

	/** {@code inventory.StockReserved}, from the monolith while it owns the inventory */
	record Reserved(UUID orderId, List<Line> lines) {
	}

	/** {@code inventory.StockShortage} */
	record Shortage(UUID orderId) {
	}

	/** {@code inventory.StockAdjusted} */
	record Adjusted(UUID productId, int previouslyAvailable, int available) {
	}

	/** {@code inventory.StockReleased} */
	record Released(UUID orderId) {
	}

}
