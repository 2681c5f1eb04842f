package dev.stranglerkit.shop.orders.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.stranglerkit.shop.catalog.ProductId;
import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class OrderRepository {

	private final JdbcClient jdbc;

	OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Order order, SagaStyle style, Instant placedAt) {
		this.jdbc.sql("""
				INSERT INTO orders.orders (id, customer_id, status, reason, total, saga_style, placed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(order.id().value(), order.customerId(), order.status().name(), order.reason(), order.total(),
					style.name(), java.sql.Timestamp.from(placedAt))
			.update();
		int lineNo = 0;
		for (OrderLine line : order.lines()) {
			this.jdbc.sql("""
					INSERT INTO orders.order_lines (order_id, line_no, product_id, quantity, unit_price)
					VALUES (?, ?, ?, ?, ?)""")
				.params(order.id().value(), ++lineNo, line.productId().value(), line.quantity(), line.unitPrice())
				.update();
		}
	}

	Optional<Order> findById(OrderId id) {
		return this.jdbc.sql("SELECT id, customer_id, status, reason, total FROM orders.orders WHERE id = ?")
			.param(id.value())
			.query((rs, row) -> new Order(id, rs.getString("customer_id"), OrderStatus.valueOf(rs.getString("status")),
					rs.getString("reason"), linesOf(id), rs.getBigDecimal("total")))
			.optional();
	}

	/**
	 * @return how many orders of a saga style are pending (orders_by_status)
	 */
	long pending(SagaStyle style) {
		return this.jdbc.sql("SELECT count(*) FROM orders.orders WHERE status = 'PENDING' AND saga_style = ?")
			.param(style.name())
			.query(Long.class)
			.single();
	}

	/**
	 * @return when the order was placed, empty for an unknown order
	 */
	Optional<Instant> placedAt(OrderId id) {
		return this.jdbc.sql("SELECT placed_at FROM orders.orders WHERE id = ?")
			.param(id.value())
			.query((rs, row) -> rs.getTimestamp("placed_at").toInstant())
			.optional();
	}

	/**
	 * @return the style of the order's saga, empty for an unknown order
	 */
	Optional<SagaStyle> sagaStyle(OrderId id) {
		return this.jdbc.sql("SELECT saga_style FROM orders.orders WHERE id = ?")
			.param(id.value())
			.query((rs, row) -> SagaStyle.valueOf(rs.getString("saga_style")))
			.optional();
	}

	/**
	 * Moves a pending order to its final status. Only one caller ever wins: a second
	 * attempt (a redelivered event, a racing handler) finds the order no longer pending
	 * and changes nothing.
	 * @return the order as it is now final, or empty if it was not pending
	 */
	/**
	 * @return the order, now finished, and how long its saga took (placed to finished);
	 * empty when it was not pending
	 */
	Optional<Finished> finishPending(OrderId id, OrderStatus status, String reason) {
		Optional<Duration> took = this.jdbc.sql("""
				UPDATE orders.orders SET status = ?, reason = ?, finished_at = now()
				WHERE id = ? AND status = 'PENDING'
				RETURNING EXTRACT(EPOCH FROM finished_at - placed_at) * 1000000 AS micros""")
			.params(status.name(), reason, id.value())
			.query((rs, row) -> Duration.of(Math.max(0, rs.getLong("micros")), ChronoUnit.MICROS))
			.optional();
		return took.flatMap((duration) -> findById(id).map((order) -> new Finished(order, duration)));
	}

	record Finished(Order order, Duration saga) {
	}

	private List<OrderLine> linesOf(OrderId id) {
		return this.jdbc
			.sql("SELECT product_id, quantity, unit_price FROM orders.order_lines WHERE order_id = ? ORDER BY line_no")
			.param(id.value())
			.query((rs, row) -> new OrderLine(new ProductId(rs.getObject("product_id", UUID.class)),
					rs.getInt("quantity"), rs.getBigDecimal("unit_price")))
			.list();
	}

}
