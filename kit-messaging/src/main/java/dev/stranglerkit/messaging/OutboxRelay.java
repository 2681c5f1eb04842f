package dev.stranglerkit.messaging;

import java.util.concurrent.CompletableFuture;

import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.core.ConditionalEventListener;
import org.springframework.modulith.events.support.EventExternalizerModuleListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The outbox relay: a listener on the event publication registry that hands each
 * {@code @Externalized} event to the confirming transport after its transaction
 * committed. The registry completes the event's publication when the returned future
 * completes (the broker confirmed and routed the message), and leaves it incomplete when
 * the future fails.
 * <p>
 * It is Spring Modulith's {@link EventExternalizerModuleListener}, run on an executor of
 * its own ({@value #EXECUTOR}, a virtual thread per message) instead of the application's
 * task executor. Spring's {@code @Async} holds its thread until the returned future
 * completes, that is until the broker's confirm: on the application's eight platform
 * threads the relay capped the outbox at eight messages in flight and took those threads
 * from the application's own module listeners while the broker was slow. A waiting
 * virtual thread costs next to nothing, and the number in flight is bounded by the
 * publication rate times the confirm timeout.
 */
public class OutboxRelay implements ConditionalEventListener {

	/** The name of the relay's executor bean. */
	public static final String EXECUTOR = "kitOutboxRelayExecutor";

	/**
	 * The registry's name for this listener: Modulith's own listener's, so that
	 * publications stored by an application that used Modulith's listener still find
	 * their listener when they are resubmitted.
	 */
	public static final String LISTENER_ID = "org.springframework.modulith.events.support.EventExternalizerModuleListener.externalize(java.lang.Object)";

	private final EventExternalizerModuleListener externalizer;

	OutboxRelay(EventExternalizationConfiguration configuration, ConfirmingRabbitTransport transport) {
		// Modulith's listener as a plain object (not a bean, so not a listener itself)
		this.externalizer = new EventExternalizerModuleListener(configuration, transport);
	}

	@Async(EXECUTOR)
	@TransactionalEventListener(id = LISTENER_ID)
	public CompletableFuture<?> externalize(Object event) {
		return this.externalizer.externalize(event);
	}

	@Override
	public boolean supports(Object event) {
		return this.externalizer.supports(event);
	}

}
