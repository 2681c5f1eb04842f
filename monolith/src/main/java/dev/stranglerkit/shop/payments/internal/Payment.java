package dev.stranglerkit.shop.payments.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import dev.stranglerkit.shop.orders.OrderId;

public record Payment(UUID id, OrderId orderId, BigDecimal amount, String cardLast4, Status status, String reason,
		Instant createdAt) {

	public enum Status {

		SUCCEEDED, DECLINED

	}

}
