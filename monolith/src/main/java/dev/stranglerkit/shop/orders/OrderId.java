package dev.stranglerkit.shop.orders;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies an order; the business key every saga step is idempotent on.
 */
public record OrderId(@JsonValue UUID value) {

	public OrderId {
		Objects.requireNonNull(value, "an order id needs a value");
	}

	public static OrderId random() {
		return new OrderId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
