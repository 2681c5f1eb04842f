package dev.stranglerkit.shop.orders;

import java.util.Map;
import java.util.UUID;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.internal.Order;
import dev.stranglerkit.shop.orders.internal.OrderService;
import dev.stranglerkit.shop.orders.internal.OrderStatus;
import dev.stranglerkit.shop.orders.internal.UnknownProductsException;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Orders with its direct dependency, the catalog, which prices the orders.
 */
@ApplicationModuleTest(mode = BootstrapMode.DIRECT_DEPENDENCIES)
class OrdersModuleTests {

	static final ProductId BEANS = new ProductId(UUID.fromString("00000000-0000-0000-0000-000000000001"));

	private final OrderService orders;

	OrdersModuleTests(OrderService orders) {
		this.orders = orders;
	}

	@Test
	void placesAPricedOrderAndAnnouncesItWithoutTheCardNumber(Scenario scenario) {
		scenario.stimulate(() -> this.orders.place("c-7", "4242424242424242", Map.of(BEANS, 2)))
			.andWaitForEventOfType(OrderPlaced.class)
			.toArriveAndVerify((event, order) -> {
				assertThat(event.orderId()).isEqualTo(order.id());
				assertThat(event.lines()).hasSize(1);
				assertThat(event.lines().get(0).unitPrice()).isEqualByComparingTo("24.90");
				assertThat(event.total()).isEqualByComparingTo("49.80");
				assertThat(event.cardLast4()).isEqualTo("4242");
				assertThat(event.toString()).doesNotContain("4242424242424242");
				assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
			});
	}

	@Test
	void storesNothingForAnUnknownProduct() {
		ProductId unknown = ProductId.random();

		assertThatExceptionOfType(UnknownProductsException.class)
			.isThrownBy(() -> this.orders.place("c-7", "4242424242424242", Map.of(BEANS, 1, unknown, 1)))
			.satisfies((ex) -> assertThat(ex.unknown()).containsExactly(unknown));
	}

	@Test
	void confirmsAnOrderWhenItsPaymentIsTaken(Scenario scenario) {
		Order order = this.orders.place("c-7", "4242424242424242", Map.of(BEANS, 1));

		scenario.publish(new PaymentTaken(order.id()))
			.andWaitForEventOfType(OrderConfirmed.class)
			.matchingMappedValue(OrderConfirmed::orderId, order.id())
			.toArriveAndVerify((event) -> assertThat(this.orders.find(order.id())).map(Order::status)
				.contains(OrderStatus.CONFIRMED));
	}

	@Test
	void cancelsAnOrderThatCannotBeFulfilled(Scenario scenario) {
		Order order = this.orders.place("c-7", "4242424242424242", Map.of(BEANS, 1));

		scenario.publish(new CannotFulfil(order.id(), "out of beans"))
			.andWaitForEventOfType(OrderCancelled.class)
			.matchingMappedValue(OrderCancelled::orderId, order.id())
			.toArriveAndVerify((event) -> {
				assertThat(event.reason()).isEqualTo("out of beans");
				assertThat(this.orders.find(order.id())).map(Order::reason).contains("out of beans");
			});
	}

	@Test
	void anOrderEndsOnceWhateverArrivesAfter() {
		Order order = this.orders.place("c-7", "4242424242424242", Map.of(BEANS, 1));

		this.orders.confirm(order.id());
		this.orders.cancel(order.id(), "too late");
		this.orders.confirm(order.id());

		assertThat(this.orders.find(order.id())).hasValueSatisfying((ended) -> {
			assertThat(ended.status()).isEqualTo(OrderStatus.CONFIRMED);
			assertThat(ended.reason()).isNull();
		});
	}

	/** Stands in for the payments module's event that confirms an order. */
	record PaymentTaken(OrderId orderId) implements ConfirmsOrder {
	}

	/** Stands in for another module's event that means an order cannot be fulfilled. */
	record CannotFulfil(OrderId orderId, String reason) implements CancelsOrder {
	}

}
