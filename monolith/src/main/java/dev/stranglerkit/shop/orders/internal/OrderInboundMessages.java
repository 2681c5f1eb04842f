package dev.stranglerkit.shop.orders.internal;

import dev.stranglerkit.messaging.MessageHandlers;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Once inventory runs as its own service, a shortage arrives as a message; it becomes the
 * application event orders already listens to, so an order is cancelled the same way
 * whichever process found the shortage. So do the service's answers to the orchestrator's
 * commands: a reservation, a shortage, a release. (Bound only where the deployment routes
 * inventory's messages to the monolith's queue.)
 */
@Configuration(proxyBeanMethods = false)
class OrderInboundMessages {

	@Bean
	MessageHandlers ordersInventoryMessages(ApplicationEventPublisher events) {
		return MessageHandlers.create()
			.on("inventory.StockShortage", StockShortageMessage.class,
					(message, envelope) -> events.publishEvent(message))
			// the answers to the orchestrator's commands (a shortage answers too)
			.on("inventory.StockReserved", InventoryAnswerMessages.StockReservedMessage.class,
					(message, envelope) -> events.publishEvent(message))
			.on("inventory.StockReleased", InventoryAnswerMessages.StockReleasedMessage.class,
					(message, envelope) -> events.publishEvent(message));
	}

}
