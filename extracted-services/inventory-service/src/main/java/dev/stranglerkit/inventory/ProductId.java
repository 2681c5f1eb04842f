package dev.stranglerkit.inventory;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Identifies a product across every module and service: the catalog's id, as the messages
 * carry it.
 */
public record ProductId(@JsonValue UUID value) {

	public ProductId {
		Objects.requireNonNull(value, "a product id needs a value");
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
