package dev.stranglerkit.badshop.orders.internal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Bad: field injection.
 */
@Service
public class FieldInjectedService {

	@Autowired
	private OrderPricer pricer;

	public boolean check(String productId) {
		return this.pricer.inStock(productId);
	}

}
