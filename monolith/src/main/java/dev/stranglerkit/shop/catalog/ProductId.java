package dev.stranglerkit.shop.catalog;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a product across every module and service.
 */
public record ProductId(@JsonValue UUID value) {

	public ProductId {
		Objects.requireNonNull(value, "a product id needs a value");
	}

	public static ProductId random() {
		return new ProductId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
