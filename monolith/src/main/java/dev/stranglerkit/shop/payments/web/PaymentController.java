package dev.stranglerkit.shop.payments.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.payments.internal.Payment;
import dev.stranglerkit.shop.payments.internal.PaymentService;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/payments", produces = MediaType.APPLICATION_JSON_VALUE)
class PaymentController {

	private final PaymentService payments;

	PaymentController(PaymentService payments) {
		this.payments = payments;
	}

	@GetMapping
	List<PaymentView> payments(@RequestParam UUID orderId) {
		return this.payments.paymentsFor(new OrderId(orderId)).stream().map(PaymentView::of).toList();
	}

	record PaymentView(UUID id, UUID orderId, BigDecimal amount, String card, String status, String reason,
			Instant createdAt) {

		static PaymentView of(Payment payment) {
			return new PaymentView(payment.id(), payment.orderId().value(), payment.amount(),
					"**** " + payment.cardLast4(), payment.status().name(), payment.reason(), payment.createdAt());
		}

	}

}
