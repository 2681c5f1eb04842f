package dev.stranglerkit.shop.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.messaging.IntegrationEvent;
import dev.stranglerkit.shop.orders.ConfirmsOrder;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaReply;
import dev.stranglerkit.shop.orders.SagaStep;
import org.jmolecules.event.annotation.DomainEvent;

import org.springframework.modulith.events.Externalized;

/**
 * An order's payment was approved and taken.
 */
@DomainEvent
@Externalized("shop.events::payments.PaymentCompleted")
public record PaymentCompleted(UUID eventId, Instant occurredAt, UUID paymentId, OrderId orderId,
		BigDecimal amount) implements ConfirmsOrder, SagaReply, IntegrationEvent {

	public PaymentCompleted(UUID paymentId, OrderId orderId, BigDecimal amount) {
		this(UUID.randomUUID(), Instant.now(), paymentId, orderId, amount);
	}

	@Override
	public SagaStep answers() {
		return SagaStep.CHARGE_PAYMENT;
	}

}
