package dev.stranglerkit.inventory;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies an order; the business key every inventory step is idempotent on.
 */
public record OrderId(@JsonValue UUID value) {

	public OrderId {
		Objects.requireNonNull(value, "an order id needs a value");
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
