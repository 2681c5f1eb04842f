package dev.stranglerkit.shop.catalog;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog's published API: the one query other modules may make, because an order
 * must be priced at the moment it is placed.
 */
public interface Catalog {

	Optional<Product> find(ProductId id);

	/**
	 * @return the products among {@code ids} that exist, by id; unknown ids are absent
	 */
	Map<ProductId, Product> findAll(Collection<ProductId> ids);

}
