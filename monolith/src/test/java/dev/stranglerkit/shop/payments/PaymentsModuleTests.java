package dev.stranglerkit.shop.payments;

import java.math.BigDecimal;
import java.util.List;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;
import dev.stranglerkit.shop.orders.OrderPlaced;
import dev.stranglerkit.shop.payments.internal.Payment;
import dev.stranglerkit.shop.payments.internal.PaymentService;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

@ApplicationModuleTest
class PaymentsModuleTests {

	private final PaymentService payments;

	PaymentsModuleTests(PaymentService payments) {
		this.payments = payments;
	}

	@Test
	void chargesAnApprovedCardOnceTheStockIsReserved(Scenario scenario) {
		OrderPlaced placed = orderPaidWith("4242");
		this.payments.orderPlaced(placed.orderId(), placed.total(), placed.cardLast4());

		scenario.publish(new StockHeld(placed.orderId()))
			.andWaitForEventOfType(PaymentCompleted.class)
			.matchingMappedValue(PaymentCompleted::orderId, placed.orderId())
			.toArriveAndVerify((event) -> {
				assertThat(event.amount()).isEqualByComparingTo("25.00");
				assertThat(this.payments.paymentsFor(placed.orderId())).singleElement()
					.extracting(Payment::status)
					.isEqualTo(Payment.Status.SUCCEEDED);
			});
	}

	@Test
	void declinesACardEndingIn0002(Scenario scenario) {
		OrderPlaced placed = orderPaidWith("0002");
		this.payments.stockReserved(placed.orderId());

		scenario.publish(placed)
			.andWaitForEventOfType(PaymentFailed.class)
			.matchingMappedValue(PaymentFailed::orderId, placed.orderId())
			.toArriveAndVerify((event) -> {
				assertThat(event.reason()).contains("declined");
				assertThat(this.payments.paymentsFor(placed.orderId())).singleElement()
					.extracting(Payment::status)
					.isEqualTo(Payment.Status.DECLINED);
			});
	}

	@Test
	void waitsForTheStockBeforeCharging() {
		OrderPlaced placed = orderPaidWith("4242");

		this.payments.orderPlaced(placed.orderId(), placed.total(), placed.cardLast4());

		assertThat(this.payments.paymentsFor(placed.orderId())).isEmpty();
	}

	@Test
	void chargesOnceHoweverOftenEitherEventArrives() {
		OrderPlaced placed = orderPaidWith("4242");

		this.payments.stockReserved(placed.orderId());
		this.payments.orderPlaced(placed.orderId(), placed.total(), placed.cardLast4());
		this.payments.orderPlaced(placed.orderId(), placed.total(), placed.cardLast4());
		this.payments.stockReserved(placed.orderId());

		assertThat(this.payments.paymentsFor(placed.orderId())).hasSize(1);
	}

	private static OrderPlaced orderPaidWith(String cardLast4) {
		return new OrderPlaced(OrderId.random(), "c-3",
				List.of(new OrderLine(ProductId.random(), 2, new BigDecimal("12.50"))), new BigDecimal("25.00"),
				cardLast4);
	}

	/** Stands in for the inventory's event that clears an order for payment. */
	record StockHeld(OrderId orderId) implements TriggersPayment {
	}

}
