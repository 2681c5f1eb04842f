package dev.stranglerkit.shop.orders;

/**
 * Implemented by the event of another module that completes an order (its payment was
 * taken). See {@link CancelsOrder} for why orders listens to this type and not to that
 * event.
 */
public interface ConfirmsOrder {

	OrderId orderId();

}
