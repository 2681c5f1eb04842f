package dev.stranglerkit.shop.catalog.internal;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stranglerkit.shop.catalog.Catalog;
import dev.stranglerkit.shop.catalog.PriceChanged;
import dev.stranglerkit.shop.catalog.Product;
import dev.stranglerkit.shop.catalog.ProductAdded;
import dev.stranglerkit.shop.catalog.ProductId;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional(readOnly = true)
public class CatalogService implements Catalog {

	private final ProductRepository products;

	private final ApplicationEventPublisher events;

	CatalogService(ProductRepository products, ApplicationEventPublisher events) {
		this.products = products;
		this.events = events;
	}

	public List<Product> findAll() {
		return this.products.findAll();
	}

	@Override
	public Optional<Product> find(ProductId id) {
		return this.products.findById(id);
	}

	@Override
	public Map<ProductId, Product> findAll(Collection<ProductId> ids) {
		return this.products.findAllById(ids).stream().collect(Collectors.toMap(Product::id, Function.identity()));
	}

	@Transactional
	public Product add(String name, BigDecimal price) {
		Product product = new Product(ProductId.random(), name, price);
		this.products.insert(product);
		this.events.publishEvent(new ProductAdded(product.id(), product.name(), product.price()));
		return product;
	}

	@Transactional
	public Optional<Product> changePrice(ProductId id, BigDecimal newPrice) {
		return this.products.findByIdForUpdate(id).map((current) -> {
			if (current.price().compareTo(newPrice) != 0) {
				this.products.updatePrice(id, newPrice);
				this.events.publishEvent(new PriceChanged(id, current.price(), newPrice));
			}
			return new Product(id, current.name(), newPrice);
		});
	}

}
