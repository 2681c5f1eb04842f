package dev.stranglerkit.inventory.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.stranglerkit.inventory.OrderId;
import dev.stranglerkit.inventory.ProductId;
import dev.stranglerkit.inventory.StockLine;
import dev.stranglerkit.messaging.MessageNotReadyException;

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
	 * Notes that an order's reservation is the other owner's to decide, and what the
	 * order asks for.
	 */
	void claimAwaiting(OrderId orderId, Instant placedAt, List<StockLine> requested) {
		if (claim(orderId, Status.AWAITING, placedAt)) {
			requested.stream()
				.collect(Collectors.groupingBy(StockLine::productId, LinkedHashMap::new,
						Collectors.summingInt(StockLine::quantity)))
				.forEach((product, quantity) -> this.jdbc
					.sql("INSERT INTO inventory.awaited_lines (order_id, product_id, quantity) VALUES (?, ?, ?)")
					.params(orderId.value(), product.value(), quantity)
					.update());
		}
	}

	/**
	 * What the orders placed before an instant that still await the other owner's
	 * decision ask for, of some products: at most that much of each may still be reserved
	 * by that decision.
	 * @return product -> quantity, for the products some of them ask for
	 * @throws MessageNotReadyException if one of them was noted without what it asks for
	 * (by a version before awaited lines), so that nothing can be held back for it
	 */
	Map<ProductId, Integer> awaited(Instant placedBefore, List<ProductId> products) {
		long unknown = this.jdbc.sql("""
				SELECT count(*) FROM inventory.reservations r
				WHERE r.status = 'AWAITING' AND r.placed_at < ?
				  AND NOT EXISTS (SELECT 1 FROM inventory.awaited_lines a WHERE a.order_id = r.order_id)""")
			.param(Timestamp.from(placedBefore))
			.query(Long.class)
			.single();
		if (unknown > 0) {
			throw new MessageNotReadyException(
					"%d decision(s) of the previous inventory owner not applied yet".formatted(unknown));
		}
		Map<ProductId, Integer> awaited = new HashMap<>();
		this.jdbc.sql("""
				SELECT a.product_id, sum(a.quantity) AS quantity
				FROM inventory.reservations r JOIN inventory.awaited_lines a ON a.order_id = r.order_id
				WHERE r.status = 'AWAITING' AND r.placed_at < :placedBefore AND a.product_id IN (:products)
				GROUP BY a.product_id""")
			.param("placedBefore", Timestamp.from(placedBefore))
			.param("products", products.stream().map(ProductId::value).toList())
			.query((rs, row) -> awaited.put(new ProductId(rs.getObject("product_id", UUID.class)),
					rs.getInt("quantity")))
			.list();
		return awaited;
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
