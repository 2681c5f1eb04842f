package dev.stranglerkit.shop.orders.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaStep;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A choreographed saga's steps, reconstructed from the events the outbox recorded for the
 * order (Spring Modulith's event publication registry): no one holds a choreographed
 * saga's state, so its steps are read back from the facts each module published. A step
 * is "sent" when the event that triggers it was published, and "answered" by the event
 * its participant published: stock by the order placed, the charge by the stock reserved,
 * the release by the order cancelled. What the registry no longer keeps (completed
 * publications purged) is missing here.
 */
@Repository
class ChoreographyHistory {

	private final JdbcClient jdbc;

	ChoreographyHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<Sagas.Step> steps(OrderId orderId) {
		Map<String, Instant> published = this.jdbc.sql("""
				SELECT event_type, min(publication_date) AS at FROM event_publication
				WHERE serialized_event LIKE ? GROUP BY event_type""")
			.param("%\"orderId\":\"" + orderId.value() + "\"%")
			.query((rs, row) -> Map.entry(Sagas.eventName(rs.getString("event_type")),
					rs.getTimestamp("at").toInstant()))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
		List<Sagas.Step> steps = new ArrayList<>();
		step(steps, published, SagaStep.RESERVE_STOCK, "OrderPlaced", "StockReserved", "StockShortage");
		step(steps, published, SagaStep.CHARGE_PAYMENT, "StockReserved", "PaymentCompleted", "PaymentFailed");
		step(steps, published, SagaStep.RELEASE_STOCK, "OrderCancelled", "StockReleased");
		return steps;
	}

	private static void step(List<Sagas.Step> steps, Map<String, Instant> published, SagaStep step, String trigger,
			String... answers) {
		Instant sent = published.get(trigger);
		if (sent == null) {
			return;
		}
		Instant answeredAt = null;
		String answer = null;
		for (String candidate : answers) {
			if (published.containsKey(candidate)) {
				answeredAt = published.get(candidate);
				answer = candidate;
			}
		}
		if (step == SagaStep.RELEASE_STOCK && answer == null && published.containsKey("StockShortage")) {
			// a shortage held nothing: no release follows its cancellation
			return;
		}
		steps.add(new Sagas.Step(step, null, sent, null, answeredAt, answer));
	}

}
