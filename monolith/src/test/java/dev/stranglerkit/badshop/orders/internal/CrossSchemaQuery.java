package dev.stranglerkit.badshop.orders.internal;

/**
 * Bad: the orders module reading the inventory's table.
 */
public class CrossSchemaQuery {

	static final String AVAILABLE = """
			SELECT s.available
			FROM inventory.stock s
			WHERE s.product_id = ?""";

	static final String OWN = "SELECT id FROM orders.orders";

}
