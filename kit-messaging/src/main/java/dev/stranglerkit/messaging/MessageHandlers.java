package dev.stranglerkit.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * </pre>
 */
public final class MessageHandlers {

	private final Map<String, Handler<?>> handlers = new LinkedHashMap<>();

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
		if (this.handlers.putIfAbsent(type, new Handler<>(payloadType, handler)) != null) {
			throw new IllegalArgumentException("A handler for message type '%s' is already declared".formatted(type));
		}
		return this;
	}

	/**
	 * @throws IllegalArgumentException if two of them handle the same message type
	 */
	static MessageHandlers combine(Iterable<MessageHandlers> all) {
		MessageHandlers combined = create();
		all.forEach((handlers) -> handlers.handlers.forEach((type, handler) -> {
			if (combined.handlers.putIfAbsent(type, handler) != null) {
				throw new IllegalArgumentException("Two handlers are declared for message type '%s'".formatted(type));
			}
		}));
		return combined;
	}

	public Set<String> types() {
		return this.handlers.keySet();
	}

	Optional<Handler<?>> handlerFor(String type) {
		return Optional.ofNullable(this.handlers.get(type));
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
