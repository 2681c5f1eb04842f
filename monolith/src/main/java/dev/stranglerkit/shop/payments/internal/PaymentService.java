package dev.stranglerkit.shop.payments.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.payments.PaymentCompleted;
import dev.stranglerkit.shop.payments.PaymentFailed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges an order once both facts are in: what to charge (the order was placed) and that
 * its stock is held (the stock was reserved). They arrive as two events in either order;
 * whichever arrives second charges. One payment per order, however often either event is
 * delivered.
 */
@Service
@Transactional(readOnly = true)
public class PaymentService {

	private final PaymentRepository payments;

	private final CardProcessor processor;

	private final ApplicationEventPublisher events;

	PaymentService(PaymentRepository payments, CardProcessor processor, ApplicationEventPublisher events) {
		this.payments = payments;
		this.processor = processor;
		this.events = events;
	}

	public List<Payment> paymentsFor(OrderId orderId) {
		return this.payments.findByOrder(orderId);
	}

	@Transactional
	public void orderPlaced(OrderId orderId, BigDecimal amount, String cardLast4) {
		this.payments.recordOrder(orderId, amount, cardLast4);
		chargeWhenReady(orderId);
	}

	@Transactional
	public void stockReserved(OrderId orderId) {
		this.payments.recordStockReserved(orderId);
		chargeWhenReady(orderId);
	}

	/**
	 * Charges an order at the orchestrator's command, which comes once its stock is held:
	 * both facts at once. One payment per order, however often the command is sent; a
	 * command sent again ({@code sentAgain}: its answer was late) is answered again.
	 */
	@Transactional
	public void charge(OrderId orderId, BigDecimal amount, String cardLast4, boolean sentAgain) {
		this.payments.recordOrder(orderId, amount, cardLast4);
		this.payments.recordStockReserved(orderId);
		if (sentAgain && this.payments.exists(orderId)) {
			// the orchestrator asks again, its answer being late: the same answer again
			this.payments.findByOrder(orderId).stream().reduce((first, last) -> last).ifPresent(this::publishOutcome);
			return;
		}
		chargeWhenReady(orderId);
	}

	private void chargeWhenReady(OrderId orderId) {
		PaymentRepository.Request request = this.payments.lockRequest(orderId);
		if (!request.readyToCharge() || this.payments.exists(orderId)) {
			return;
		}
		Optional<String> declined = this.processor.decline(request.cardLast4());
		Payment payment = new Payment(UUID.randomUUID(), orderId, request.amount(), request.cardLast4(),
				declined.isPresent() ? Payment.Status.DECLINED : Payment.Status.SUCCEEDED, declined.orElse(null),
				Instant.now());
		this.payments.insert(payment);
		publishOutcome(payment);
	}

	private void publishOutcome(Payment payment) {
		this.events.publishEvent((payment.status() == Payment.Status.DECLINED)
				? new PaymentFailed(payment.id(), payment.orderId(), payment.amount(), payment.reason())
				: new PaymentCompleted(payment.id(), payment.orderId(), payment.amount()));
	}

}
