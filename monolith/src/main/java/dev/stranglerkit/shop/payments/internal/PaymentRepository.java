package dev.stranglerkit.shop.payments.internal;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PaymentRepository {

	/**
	 * What payments knows of an order: its amount and card (from OrderPlaced), and
	 * whether its stock is reserved.
	 */
	record Request(OrderId orderId, BigDecimal amount, String cardLast4, boolean stockReserved) {

		boolean readyToCharge() {
			return this.amount != null && this.stockReserved;
		}

	}

	private final JdbcClient jdbc;

	PaymentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void recordOrder(OrderId orderId, BigDecimal amount, String cardLast4) {
		this.jdbc.sql("""
				INSERT INTO payments.requests (order_id, amount, card_last4) VALUES (?, ?, ?)
				ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount, card_last4 = EXCLUDED.card_last4""")
			.params(orderId.value(), amount, cardLast4)
			.update();
	}

	void recordStockReserved(OrderId orderId) {
		this.jdbc.sql("""
				INSERT INTO payments.requests (order_id, stock_reserved) VALUES (?, true)
				ON CONFLICT (order_id) DO UPDATE SET stock_reserved = true""").param(orderId.value()).update();
	}

	/**
	 * Reads an order's request and locks it, so that the two events that complete it
	 * cannot both decide to charge.
	 */
	Request lockRequest(OrderId orderId) {
		return this.jdbc
			.sql("SELECT amount, card_last4, stock_reserved FROM payments.requests WHERE order_id = ? FOR UPDATE")
			.param(orderId.value())
			.query((rs, row) -> new Request(orderId, rs.getBigDecimal("amount"), rs.getString("card_last4"),
					rs.getBoolean("stock_reserved")))
			.single();
	}

	boolean exists(OrderId orderId) {
		return this.jdbc.sql("SELECT count(*) FROM payments.payments WHERE order_id = ?")
			.param(orderId.value())
			.query(Integer.class)
			.single() > 0;
	}

	void insert(Payment payment) {
		this.jdbc.sql("""
				INSERT INTO payments.payments (id, order_id, amount, card_last4, status, reason, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(payment.id(), payment.orderId().value(), payment.amount(), payment.cardLast4(),
					payment.status().name(), payment.reason(), Timestamp.from(payment.createdAt()))
			.update();
	}

	List<Payment> findByOrder(OrderId orderId) {
		return this.jdbc.sql("""
				SELECT id, amount, card_last4, status, reason, created_at FROM payments.payments
				WHERE order_id = ? ORDER BY created_at""")
			.param(orderId.value())
			.query((rs, row) -> new Payment(rs.getObject("id", UUID.class), orderId, rs.getBigDecimal("amount"),
					rs.getString("card_last4"), Payment.Status.valueOf(rs.getString("status")), rs.getString("reason"),
					rs.getTimestamp("created_at").toInstant()))
			.list();
	}

}
