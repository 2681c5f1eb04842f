package dev.stranglerkit.shop;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.StockShortage;
import dev.stranglerkit.shop.inventory.internal.InventoryService;
import dev.stranglerkit.shop.inventory.internal.Stock;
import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.payments.TriggersPayment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Once inventory is extracted, its events reach the monolith over RabbitMQ; the monolith
 * turns each message (the contract's sample, as the service would send it) back into the
 * application event its modules listen to, once per message id.
 */
@SpringBootTest
class InventoryServiceMessagesTests {

	static final CachingConnectionFactory broker = EventContractTests.testBroker();

	final Captured captured;

	final InventoryService inventory;

	InventoryServiceMessagesTests(Captured captured, InventoryService inventory) {
		this.captured = captured;
		this.inventory = inventory;
	}

	@AfterAll
	static void close() {
		broker.destroy();
	}

	@Test
	void turnsAStockReservedMessageIntoTheEventPaymentsListensToAndHoldsTheStockOnce() {
		OrderId order = OrderId.random();
		ProductId product = ProductId.random();
		this.inventory.track(product);
		this.inventory.setAvailable(product, 10);
		String message = fromInventoryService("inventory.StockReserved", order)
			.replace("00000000-0000-0000-0000-000000000002", product.toString());

		send("inventory.StockReserved", message);
		send("inventory.StockReserved", message);

		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.captured.paymentTriggers.stream().anyMatch((e) -> e.orderId().equals(order)));
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.captured.paymentTriggers.stream().filter((e) -> e.orderId().equals(order)).count() == 1);
		assertThat(this.inventory.stockOf(product)).as("the monolith follows the service's reservation, once")
			.contains(new Stock(product, 8, 2));
	}

	@Test
	void turnsAStockShortageMessageIntoACancellationWithTheMonolithsOwnReason() {
		OrderId order = OrderId.random();

		send("inventory.StockShortage", fromInventoryService("inventory.StockShortage", order));

		CancelsOrder cancellation = await().atMost(Duration.ofSeconds(15))
			.until(() -> this.captured.cancellations.stream().filter((e) -> e.orderId().equals(order)).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow();
		StockShortage sameShortageInTheMonolith = new StockShortage(order,
				new ProductId(UUID.fromString("00000000-0000-0000-0000-000000000003")), 50, 5);
		assertThat(cancellation.reason()).isEqualTo(sameShortageInTheMonolith.reason());
	}

	/** The contract's sample, for another order, with a message id of its own. */
	private static String fromInventoryService(String type, OrderId order) {
		String sample = EventContracts.sample(type);
		assertThat(sample).contains("\"source\": \"inventory-service\"");
		return sample.replace("7f1c2b9e-4d3a-4c8e-9a51-0d6b2f3e8c10", order.toString())
			.replaceFirst("\"messageId\": \"[^\"]+\"", "\"messageId\": \"" + UUID.randomUUID() + "\"");
	}

	private static void send(String routingKey, String body) {
		new RabbitTemplate(broker).send("shop.events", routingKey,
				MessageBuilder.withBody(body.getBytes()).setContentType("application/json").build());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Capture {

		@Bean
		Captured captured() {
			return new Captured();
		}

	}

	static class Captured {

		final List<TriggersPayment> paymentTriggers = new CopyOnWriteArrayList<>();

		final List<CancelsOrder> cancellations = new CopyOnWriteArrayList<>();

		@EventListener
		void on(TriggersPayment event) {
			this.paymentTriggers.add(event);
		}

		@EventListener
		void on(CancelsOrder event) {
			this.cancellations.add(event);
		}

	}

}
