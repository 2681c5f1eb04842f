package dev.stranglerkit.shop.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.shop.orders.CancelsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order's payment was declined; the order is to be cancelled and its stock released.
 */
@DomainEvent
@Externalized("shop.events::payments.PaymentFailed")
public record PaymentFailed(UUID eventId, Instant occurredAt, UUID paymentId, OrderId orderId, BigDecimal amount,
		String reason) implements CancelsOrder, SagaReply, IntegrationEvent {

	public PaymentFailed(UUID paymentId, OrderId orderId, BigDecimal amount, String reason) {
		this(UUID.randomUUID(), Instant.now(), paymentId, orderId, amount, reason);
	}

	@Override
	public SagaStep answers() {
		return SagaStep.CHARGE_PAYMENT;
	}

	@Override
	public String failure() {
		return reason();
	}

}
