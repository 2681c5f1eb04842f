package dev.stranglerkit.inventory.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.stranglerkit.inventory.ProductId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class StockRepository {

	private final JdbcClient jdbc;

	StockRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Stock> find(ProductId id) {
		return this.jdbc.sql("SELECT product_id, available, reserved FROM inventory.stock WHERE product_id = ?")
			.param(id.value())
			.query(StockRepository::stock)
			.optional();
	}

	/**
	 * Locks the stock rows of the given products, always in product-id order so that two
	 * reservations never wait for each other in a cycle.
	 */
	List<Stock> lock(Collection<ProductId> ids) {
		UUID[] values = ids.stream().map(ProductId::value).toArray(UUID[]::new);
		return this.jdbc.sql("""
				SELECT product_id, available, reserved FROM inventory.stock
				WHERE product_id = ANY(?) ORDER BY product_id FOR UPDATE""")
			.param(values)
			.query(StockRepository::stock)
			.list();
	}

	boolean createIfAbsent(ProductId id, int available) {
		return this.jdbc.sql(
				"INSERT INTO inventory.stock (product_id, available, reserved) VALUES (?, ?, 0) ON CONFLICT DO NOTHING")
			.params(id.value(), available)
			.update() == 1;
	}

	void setAvailable(ProductId id, int available) {
		this.jdbc.sql("UPDATE inventory.stock SET available = ? WHERE product_id = ?")
			.params(available, id.value())
			.update();
	}

	/** A follower's share of an adjustment its owner made. */
	void changeAvailable(ProductId id, int change) {
		this.jdbc.sql("UPDATE inventory.stock SET available = available + ? WHERE product_id = ?")
			.params(change, id.value())
			.update();
	}

	/**
	 * @return whether the adjustment was recorded; {@code false} if it had been before
	 */
	boolean recordAdjustment(UUID adjustment, ProductId id, int previouslyAvailable, int available) {
		return this.jdbc.sql("""
				INSERT INTO inventory.adjustments (event_id, product_id, previously_available, available)
				VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")
			.params(adjustment, id.value(), previouslyAvailable, available)
			.update() == 1;
	}

	void reserve(ProductId id, int quantity) {
		this.jdbc
			.sql("UPDATE inventory.stock SET available = available - ?, reserved = reserved + ? WHERE product_id = ?")
			.params(quantity, quantity, id.value())
			.update();
	}

	void release(ProductId id, int quantity) {
		this.jdbc
			.sql("UPDATE inventory.stock SET available = available + ?, reserved = reserved - ? WHERE product_id = ?")
			.params(quantity, quantity, id.value())
			.update();
	}

	void commit(ProductId id, int quantity) {
		this.jdbc.sql("UPDATE inventory.stock SET reserved = reserved - ? WHERE product_id = ?")
			.params(quantity, id.value())
			.update();
	}

	private static Stock stock(ResultSet rs, int row) throws SQLException {
		return new Stock(new ProductId(rs.getObject("product_id", UUID.class)), rs.getInt("available"),
				rs.getInt("reserved"));
	}

}
