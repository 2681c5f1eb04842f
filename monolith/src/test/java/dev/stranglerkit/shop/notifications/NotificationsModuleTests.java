package dev.stranglerkit.shop.notifications;

import java.math.BigDecimal;

import dev.stranglerkit.shop.notifications.internal.Notification;
import dev.stranglerkit.shop.notifications.internal.NotificationService;
import dev.stranglerkit.shop.orders.OrderCancelled;
import dev.stranglerkit.shop.orders.OrderConfirmed;
import dev.stranglerkit.shop.orders.OrderId;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

@ApplicationModuleTest
class NotificationsModuleTests {

	private final NotificationService notifications;

	NotificationsModuleTests(NotificationService notifications) {
		this.notifications = notifications;
	}

	@Test
	void tellsTheCustomerTheirOrderIsConfirmed(Scenario scenario) {
		OrderId order = OrderId.random();

		scenario.publish(new OrderConfirmed(order, "c-5", new BigDecimal("12.00")))
			.andWaitForStateChange(() -> this.notifications.sentFor(order), (sent) -> !sent.isEmpty())
			.andVerify((sent) -> assertThat(sent).singleElement().satisfies((notification) -> {
				assertThat(notification.kind()).isEqualTo(Notification.Kind.ORDER_CONFIRMED);
				assertThat(notification.customerId()).isEqualTo("c-5");
			}));
	}

	@Test
	void tellsTheCustomerWhyTheirOrderWasCancelled(Scenario scenario) {
		OrderId order = OrderId.random();

		scenario.publish(new OrderCancelled(order, "c-5", "Card declined by the issuer"))
			.andWaitForStateChange(() -> this.notifications.sentFor(order), (sent) -> !sent.isEmpty())
			.andVerify((sent) -> assertThat(sent).singleElement()
				.extracting(Notification::message)
				.asString()
				.contains("Card declined by the issuer"));
	}

	@Test
	void notifiesOncePerOrderAndOutcome() {
		OrderId order = OrderId.random();
		OrderCancelled cancelled = new OrderCancelled(order, "c-5", "Not enough stock");

		this.notifications.orderCancelled(cancelled);
		this.notifications.orderCancelled(cancelled);

		assertThat(this.notifications.sentFor(order)).hasSize(1);
	}

}
