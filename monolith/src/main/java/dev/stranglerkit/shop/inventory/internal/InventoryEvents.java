package dev.stranglerkit.shop.inventory.internal;

import java.util.List;
import java.util.UUID;

import dev.stranglerkit.messaging.MessageHandlers;
import dev.stranglerkit.shop.catalog.ProductAdded;
import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.StockLine;
import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderPlaced;
import dev.stranglerkit.shop.orders.ReleaseStock;
import dev.stranglerkit.shop.orders.ReserveStock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.ApplicationModuleListener;

/**
 * The inventory's part of the saga: the order events, or the orchestrator's commands
 * (decided by {@link InventoryService} as owner or follower), and, once the
 * inventory-service owns the inventory, its messages, which the module follows.
 * {@code shop.inventory.enabled=false} switches the module's reactions and its API off,
 * the step before the module is deleted: the monolith then neither decides nor follows,
 * and the gateway must send the inventory route to the service.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "shop.inventory.enabled", matchIfMissing = true)
class InventoryEvents {

	private final InventoryService inventory;

	InventoryEvents(InventoryService inventory) {
		this.inventory = inventory;
	}

	@ApplicationModuleListener
	void on(OrderPlaced event) {
		this.inventory.orderPlaced(event.orderId(), event.occurredAt(),
				event.lines().stream().map((line) -> new StockLine(line.productId(), line.quantity())).toList());
	}

	/**
	 * The orchestrated saga's command: decided as an order placed is in the choreographed
	 * saga, answered with the same events.
	 */
	@ApplicationModuleListener
	void on(ReserveStock command) {
		this.inventory.reserveCommanded(command.orderId(), command.placedAt(),
				command.lines().stream().map((line) -> new StockLine(line.productId(), line.quantity())).toList(),
				command.attempt() > 1);
	}

	/**
	 * The orchestrated saga's compensation, once the order's charge failed: released as a
	 * cancelled order's stock is, answered with the stock released.
	 */
	@ApplicationModuleListener
	void on(ReleaseStock command) {
		this.inventory.releaseCommanded(command.orderId(), command.occurredAt());
	}

	@ApplicationModuleListener
	void on(OrderConfirmed event) {
		this.inventory.commit(event.orderId());
	}

	@ApplicationModuleListener
	void on(OrderCancelled event) {
		this.inventory.release(event.orderId(), event.occurredAt());
	}

	@ApplicationModuleListener
	void on(ProductAdded event) {
		this.inventory.track(event.productId());
	}

	/** What the inventory-service decided, as its owner, followed here. */
	@Bean
	MessageHandlers inventoryOwnerMessages() {
		return MessageHandlers.create()
			.on("inventory.StockReserved", Reserved.class,
					(message, envelope) -> this.inventory.reservedByOwner(new OrderId(message.orderId()),
							message.lines()
								.stream()
								.map((line) -> new StockLine(new ProductId(line.productId()), line.quantity()))
								.toList()))
			.on("inventory.StockShortage", Shortage.class,
					(message, envelope) -> this.inventory.rejectedByOwner(new OrderId(message.orderId())))
			.on("inventory.StockAdjusted", Adjusted.class,
					(message, envelope) -> this.inventory.adjustedByOwner(UUID.fromString(envelope.messageId()),
							new ProductId(message.productId()), message.previouslyAvailable(), message.available()))
			// the release itself follows from the order's cancellation, on both sides
			.on("inventory.StockReleased", Released.class, (message, envelope) -> {
			});
	}

	record Line(UUID productId, int quantity) {
	}

	record Reserved(UUID orderId, List<Line> lines) {
	}

	record Shortage(UUID orderId) {
	}

	record Adjusted(UUID productId, int previouslyAvailable, int available) {
	}

	record Released(UUID orderId) {
	}

}
