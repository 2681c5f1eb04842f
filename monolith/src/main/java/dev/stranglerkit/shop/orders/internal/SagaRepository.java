package dev.stranglerkit.shop.orders.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaStep;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The state of the orchestrated sagas, in the orders module's schema: written in the
 * transaction that sends a command or handles an answer, together with the outbox's
 * publications, so that a crash anywhere leaves a saga where its last commit put it.
 */
@Repository
class SagaRepository {

	private final JdbcClient jdbc;

	SagaRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void start(OrderId orderId, String cardLast4) {
		this.jdbc.sql("INSERT INTO orders.sagas (order_id, card_last4) VALUES (?, ?)")
			.params(orderId.value(), cardLast4)
			.update();
	}

	/** Records that a step's command is sent, and until when its answer is awaited. */
	void sent(OrderId orderId, SagaStep step, Instant deadline) {
		this.jdbc.sql("INSERT INTO orders.saga_steps (order_id, step, deadline) VALUES (?, ?, ?)")
			.params(orderId.value(), step.name(), java.sql.Timestamp.from(deadline))
			.update();
	}

	/**
	 * Records a step's answer, once: a second delivery of the answer, or an answer no
	 * step of this order awaits (a choreographed order's event), changes nothing.
	 * @return whether this was the step's first answer
	 */
	boolean answered(OrderId orderId, SagaStep step, String answer) {
		return this.jdbc.sql("""
				UPDATE orders.saga_steps SET answered_at = now(), answer = ?
				WHERE order_id = ? AND step = ? AND answered_at IS NULL""")
			.params(answer, orderId.value(), step.name())
			.update() == 1;
	}

	/**
	 * Locks the steps past their deadline that are due for a new attempt or to be given
	 * up (another instance's sweep skips them).
	 */
	List<Due> due(int attempts) {
		return this.jdbc.sql("""
				SELECT order_id, step, attempts FROM orders.saga_steps
				WHERE answered_at IS NULL AND deadline < now() AND (attempts < ? OR step = 'RESERVE_STOCK')
				ORDER BY deadline LIMIT 50 FOR UPDATE SKIP LOCKED""")
			.param(attempts)
			.query((rs, row) -> new Due(new OrderId(rs.getObject("order_id", java.util.UUID.class)),
					SagaStep.valueOf(rs.getString("step")), rs.getInt("attempts")))
			.list();
	}

	/** Records that a step's command is sent once more, and its new deadline. */
	void resent(OrderId orderId, SagaStep step, Instant deadline) {
		this.jdbc
			.sql("UPDATE orders.saga_steps SET attempts = attempts + 1, deadline = ? WHERE order_id = ? AND step = ?")
			.params(java.sql.Timestamp.from(deadline), orderId.value(), step.name())
			.update();
	}

	/**
	 * @return how many steps await an answer past their deadline
	 */
	long overdue() {
		return this.jdbc.sql("SELECT count(*) FROM orders.saga_steps WHERE answered_at IS NULL AND deadline < now()")
			.query(Long.class)
			.single();
	}

	record Due(OrderId orderId, SagaStep step, int attempts) {
	}

	String cardLast4(OrderId orderId) {
		return this.jdbc.sql("SELECT card_last4 FROM orders.sagas WHERE order_id = ?")
			.param(orderId.value())
			.query(String.class)
			.single();
	}

	/** Records why the saga compensates. */
	void failed(OrderId orderId, String failure) {
		this.jdbc.sql("UPDATE orders.sagas SET failure = ? WHERE order_id = ?")
			.params(failure, orderId.value())
			.update();
	}

	Optional<String> failure(OrderId orderId) {
		return this.jdbc.sql("SELECT failure FROM orders.sagas WHERE order_id = ?")
			.param(orderId.value())
			.query(String.class)
			.optional();
	}

	List<Sagas.Step> steps(OrderId orderId) {
		return this.jdbc.sql("""
				SELECT step, attempts, sent_at, deadline, answered_at, answer FROM orders.saga_steps
				WHERE order_id = ? ORDER BY sent_at, step""")
			.param(orderId.value())
			.query((rs, row) -> new Sagas.Step(SagaStep.valueOf(rs.getString("step")), rs.getInt("attempts"),
					rs.getTimestamp("sent_at").toInstant(), rs.getTimestamp("deadline").toInstant(),
					Optional.ofNullable(rs.getTimestamp("answered_at")).map(java.sql.Timestamp::toInstant).orElse(null),
					rs.getString("answer")))
			.list();
	}

}
