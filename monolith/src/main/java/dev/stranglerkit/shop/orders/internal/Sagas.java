package dev.stranglerkit.shop.orders.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.SagaStep;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each order's saga as it stands, in either style: the orchestrator's own record of an
 * orchestrated one, and a choreographed one read back from the events recorded.
 */
@Service
@Transactional(readOnly = true)
public class Sagas {

	private final OrderRepository orders;

	private final SagaRepository orchestrated;

	private final ChoreographyHistory choreographed;

	Sagas(OrderRepository orders, SagaRepository orchestrated, ChoreographyHistory choreographed) {
		this.orders = orders;
		this.orchestrated = orchestrated;
		this.choreographed = choreographed;
	}

	/**
	 * @return the order's saga, empty for an unknown order
	 */
	public Optional<Saga> of(OrderId orderId) {
		return this.orders.findById(orderId).flatMap((order) -> this.orders.sagaStyle(orderId).map((style) -> {
			List<Step> steps = (style == SagaStyle.ORCHESTRATION) ? this.orchestrated.steps(orderId)
					: this.choreographed.steps(orderId);
			return new Saga(orderId, style, order.status(), order.reason(), steps);
		}));
	}

	/**
	 * @return an event's name as a saga step shows it, the same whichever process
	 * published it: {@code StockReserved} for the inventory module's event and for the
	 * inventory-service's message turned into an application event
	 * ({@code ...$StockReservedMessage}) alike
	 */
	static String eventName(String type) {
		String name = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
		return name.endsWith("Message") ? name.substring(0, name.length() - "Message".length()) : name;
	}

	/**
	 * An order's saga: its style, where the order stands, and its steps in the order they
	 * were taken.
	 */
	public record Saga(OrderId orderId, SagaStyle style, OrderStatus status, String reason, List<Step> steps) {
	}

	/**
	 * One step of a saga.
	 *
	 * @param attempts how often its command was sent; {@code null} in a choreographed
	 * saga, which sends none
	 * @param sentAt when its command, or the event that triggers it, was published
	 * @param deadline until when the orchestrator awaits the answer; {@code null} in a
	 * choreographed saga
	 * @param answeredAt {@code null} while its answer is awaited
	 * @param answer the answering event's name ({@code StockReserved}, ...)
	 */
	public record Step(SagaStep step, Integer attempts, Instant sentAt, Instant deadline, Instant answeredAt,
			String answer) {
	}

}
