package dev.stranglerkit.shop.orders.internal;

import java.math.BigDecimal;
import java.util.List;

import dev.stranglerkit.shop.orders.OrderId;
import dev.stranglerkit.shop.orders.OrderLine;

public record Order(OrderId id, String customerId, OrderStatus status, String reason, List<OrderLine> lines,
		BigDecimal total) {

	public Order {
		lines = List.copyOf(lines);
	}

}
