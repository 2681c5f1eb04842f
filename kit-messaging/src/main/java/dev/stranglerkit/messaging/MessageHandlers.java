package dev.stranglerkit.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an application does with the messages its queue receives, by message type. Declare
 * one bean of it; the kit's consumer binds the payload of each message to the handler's
 * type and calls the handler in the transaction that records the message id as processed,
 * so an effect (a row written, an application event published) happens exactly once per
 * message id. <pre class="code">
 * &#64;Bean
 * MessageHandlers inbound(ApplicationEventPublisher events) {
 *     return MessageHandlers.create()
 *         .on("inventory.StockReserved", StockReservedMessage.class,
 *             (event, envelope) -&gt; events.publishEvent(event));
 * }
 * </pre> Several beans may handle the same type (two modules of the monolith reacting to
 * one message): each binds the payload to its own type, and all run in the one
 * transaction.
 */
public final class MessageHandlers {

	private final Map<String, List<Handler<?>>> handlers = new LinkedHashMap<>();

	private MessageHandlers() {
	}

	public static MessageHandlers create() {
		return new MessageHandlers();
	}

	/**
	 * @param type the message type (the routing key), such as
	 * {@code inventory.StockReserved}
	 * @param payloadType what the message's payload is bound to; a payload that does not
	 * bind is malformed and dead-lettered at once
	 */
	public <T> MessageHandlers on(String type, Class<T> payloadType, MessageHandler<T> handler) {
		if (this.handlers.putIfAbsent(type, new ArrayList<>(List.of(new Handler<>(payloadType, handler)))) != null) {
			throw new IllegalArgumentException("A handler for message type '%s' is already declared".formatted(type));
		}
		return this;
	}

	static MessageHandlers combine(Iterable<MessageHandlers> all) {
		MessageHandlers combined = create();
		all.forEach((handlers) -> handlers.handlers
			.forEach((type, list) -> combined.handlers.computeIfAbsent(type, (key) -> new ArrayList<>()).addAll(list)));
		return combined;
	}

	public Set<String> types() {
		return this.handlers.keySet();
	}

	/**
	 * @return the handlers of a message type, none if it has none
	 */
	List<Handler<?>> handlersFor(String type) {
		return this.handlers.getOrDefault(type, List.of());
	}

	/**
	 * Handles one message's payload; throwing makes the consumer retry, then dead-letter.
	 */
	@FunctionalInterface
	public interface MessageHandler<T> {

		void handle(T payload, EventEnvelope envelope);

	}

	record Handler<T>(Class<T> payloadType, MessageHandler<T> handler) {

		void handle(Object payload, EventEnvelope envelope) {
			this.handler.handle(this.payloadType.cast(payload), envelope);
		}

	}

}
