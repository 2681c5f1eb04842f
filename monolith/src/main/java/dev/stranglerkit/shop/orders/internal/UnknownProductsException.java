package dev.stranglerkit.shop.orders.internal;

import java.util.List;

import dev.stranglerkit.shop.catalog.ProductId;

/**
 * An order names products the catalog does not have; nothing was stored.
 */
public class UnknownProductsException extends RuntimeException {

	private final List<ProductId> unknown;

	UnknownProductsException(List<ProductId> unknown) {
		super("Unknown product(s): " + unknown.stream().map(ProductId::toString).sorted().toList());
		this.unknown = List.copyOf(unknown);
	}

	public List<ProductId> unknown() {
		return this.unknown;
	}

}
