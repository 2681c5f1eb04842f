package dev.stranglerkit.shop.payments.internal;

import dev.stranglerkit.messaging.MessageHandlers;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Once inventory runs as its own service, its reservations arrive as messages; they
 * become the application event payments already listens to, so the payment step does not
 * care which process reserved the stock. (Bound only where the deployment routes
 * inventory's messages to the monolith's queue.)
 */
@Configuration(proxyBeanMethods = false)
class PaymentInboundMessages {

	@Bean
	MessageHandlers paymentsInventoryMessages(ApplicationEventPublisher events) {
		return MessageHandlers.create()
			.on("inventory.StockReserved", StockReservedMessage.class,
					(message, envelope) -> events.publishEvent(message));
	}

}
