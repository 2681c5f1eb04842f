package dev.stranglerkit.shop.orders;

/**
 * Implemented by the events of other modules that mean an order cannot be fulfilled (no
 * stock, a declined payment). The orders module listens to this type, not to those
 * modules' events, so that it depends on none of the modules downstream of it in the
 * saga: they can be extracted, switched off or deleted without touching orders.
 */
public interface CancelsOrder {

	OrderId orderId();

	/**
	 * @return why the order cannot be fulfilled, in words a customer may read
	 */
	String reason();

}
