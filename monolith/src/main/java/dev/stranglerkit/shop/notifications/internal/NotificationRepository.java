package dev.stranglerkit.shop.notifications.internal;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

import dev.stranglerkit.shop.orders.OrderId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class NotificationRepository {

	private final JdbcClient jdbc;

	NotificationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @return whether the notification was recorded; {@code false} if this order already
	 * had one of that kind
	 */
	boolean insertOnce(Notification notification) {
		return this.jdbc.sql("""
				INSERT INTO notifications.notifications (id, order_id, customer_id, kind, message, sent_at)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, kind) DO NOTHING""")
			.params(notification.id(), notification.orderId().value(), notification.customerId(),
					notification.kind().name(), notification.message(), Timestamp.from(notification.sentAt()))
			.update() == 1;
	}

	List<Notification> findByOrder(OrderId orderId) {
		return this.jdbc.sql("""
				SELECT id, customer_id, kind, message, sent_at FROM notifications.notifications
				WHERE order_id = ? ORDER BY sent_at""")
			.param(orderId.value())
			.query((rs, row) -> new Notification(rs.getObject("id", UUID.class), orderId, rs.getString("customer_id"),
					Notification.Kind.valueOf(rs.getString("kind")), rs.getString("message"),
					rs.getTimestamp("sent_at").toInstant()))
			.list();
	}

}
