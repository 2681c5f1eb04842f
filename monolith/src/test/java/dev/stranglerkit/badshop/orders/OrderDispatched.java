package dev.stranglerkit.badshop.orders;

import org.jmolecules.event.annotation.DomainEvent;

/**
 * Bad: an event that is a mutable class, not a record.
 */
@DomainEvent
public class OrderDispatched {

	public String orderId;

}
