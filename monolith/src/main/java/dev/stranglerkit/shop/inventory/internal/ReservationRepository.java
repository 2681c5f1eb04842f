package dev.stranglerkit.shop.inventory.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.inventory.StockLine;
import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * One reservation per order: its row is the idempotency key of every inventory saga step.
 */
@Repository
class ReservationRepository {

	enum Status {

		/** A follower saw the order; its owner's decision has not arrived yet. */
		AWAITING,
		/** Claimed by a handler that is deciding it. */
		DECIDING,
		/** Stock is held for the order. */
		RESERVED,
		/** The order could not be served; nothing was held. */
		REJECTED,
		/** The order was confirmed; its stock is gone for good. */
		COMMITTED,
		/** The order was cancelled; its stock is available again. */
		RELEASED,
		/**
		 * (Kept for rows written before cancellations waited for their reservation's
		 * decision.)
		 */
		VOID

	}

	private final JdbcClient jdbc;

	ReservationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @return whether this call created the order's reservation; {@code false} if an
	 * earlier delivery of the same request already did
	 */
	boolean claim(OrderId orderId, Status status) {
		return claim(orderId, status, null);
	}

	/**
	 * @param placedAt when the order was placed, if known
	 */
	boolean claim(OrderId orderId, Status status, Instant placedAt) {
		return this.jdbc.sql(
				"INSERT INTO inventory.reservations (order_id, status, placed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
			.params(orderId.value(), status.name(), (placedAt != null) ? Timestamp.from(placedAt) : null)
			.update() == 1;
	}

	/**
	 * @return whether the reservation was in status {@code from} and now is in {@code to}
	 */
	boolean move(OrderId orderId, Status from, Status to) {
		return this.jdbc
			.sql("UPDATE inventory.reservations SET status = ?, updated_at = now() WHERE order_id = ? AND status = ?")
			.params(to.name(), orderId.value(), from.name())
			.update() == 1;
	}

	/**
	 * @return the reservation's status, its row locked until the transaction ends
	 */
	Optional<Status> lockStatus(OrderId orderId) {
		return this.jdbc.sql("SELECT status FROM inventory.reservations WHERE order_id = ? FOR UPDATE")
			.param(orderId.value())
			.query((rs, row) -> Status.valueOf(rs.getString("status")))
			.optional();
	}

	/**
	 * @return how many orders placed before the given instant wait for the decision of
	 * the inventory's other owner
	 */
	long countAwaiting(Instant placedBefore) {
		return this.jdbc.sql("SELECT count(*) FROM inventory.reservations WHERE status = 'AWAITING' AND placed_at < ?")
			.param(Timestamp.from(placedBefore))
			.query(Long.class)
			.single();
	}

	void addLine(OrderId orderId, StockLine line) {
		this.jdbc.sql("INSERT INTO inventory.reservation_lines (order_id, product_id, quantity) VALUES (?, ?, ?)")
			.params(orderId.value(), line.productId().value(), line.quantity())
			.update();
	}

	List<StockLine> lines(OrderId orderId) {
		return this.jdbc
			.sql("SELECT product_id, quantity FROM inventory.reservation_lines WHERE order_id = ? ORDER BY product_id")
			.param(orderId.value())
			.query((rs, row) -> new StockLine(new ProductId(rs.getObject("product_id", UUID.class)),
					rs.getInt("quantity")))
			.list();
	}

}
