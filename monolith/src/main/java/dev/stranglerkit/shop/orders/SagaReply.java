package dev.stranglerkit.shop.orders;

/**
 * Implemented by the events of other modules that answer a step of an orchestrated order
 * saga (the same events the choreographed saga reacts to). The orchestrator listens to
 * this type, not to those modules' events, so that orders depends on none of the modules
 * it commands: see {@link CancelsOrder}.
 */
public interface SagaReply {

	OrderId orderId();

	/**
	 * @return the step this event answers
	 */
	SagaStep answers();

	/**
	 * @return why the step failed, in words a customer may read; {@code null} (the
	 * default) when it was taken
	 */
	default String failure() {
		return null;
	}

}
