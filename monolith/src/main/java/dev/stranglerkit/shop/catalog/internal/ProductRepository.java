package dev.stranglerkit.shop.catalog.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.stranglerkit.shop.catalog.Product;
import dev.stranglerkit.shop.catalog.ProductId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ProductRepository {

	private final JdbcClient jdbc;

	ProductRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<Product> findAll() {
		return this.jdbc.sql("SELECT id, name, price FROM catalog.products ORDER BY name, id")
			.query(ProductRepository::product)
			.list();
	}

	Optional<Product> findById(ProductId id) {
		return this.jdbc.sql("SELECT id, name, price FROM catalog.products WHERE id = ?")
			.param(id.value())
			.query(ProductRepository::product)
			.optional();
	}

	Optional<Product> findByIdForUpdate(ProductId id) {
		return this.jdbc.sql("SELECT id, name, price FROM catalog.products WHERE id = ? FOR UPDATE")
			.param(id.value())
			.query(ProductRepository::product)
			.optional();
	}

	List<Product> findAllById(Collection<ProductId> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		UUID[] values = ids.stream().map(ProductId::value).toArray(UUID[]::new);
		return this.jdbc.sql("SELECT id, name, price FROM catalog.products WHERE id = ANY(?)")
			.param(values)
			.query(ProductRepository::product)
			.list();
	}

	void insert(Product product) {
		this.jdbc.sql("INSERT INTO catalog.products (id, name, price) VALUES (?, ?, ?)")
			.params(product.id().value(), product.name(), product.price())
			.update();
	}

	void updatePrice(ProductId id, BigDecimal price) {
		this.jdbc.sql("UPDATE catalog.products SET price = ? WHERE id = ?").params(price, id.value()).update();
	}

	private static Product product(ResultSet rs, int row) throws SQLException {
		return new Product(new ProductId(rs.getObject("id", UUID.class)), rs.getString("name"),
				rs.getBigDecimal("price"));
	}

}
