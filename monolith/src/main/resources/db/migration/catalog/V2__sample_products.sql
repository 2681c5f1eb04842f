-- Sample products, so that a person can place an order right after start-up.
-- The inventory module seeds their stock under the same ids.
INSERT INTO catalog.products (id, name, price) VALUES
	('00000000-0000-0000-0000-000000000001', 'Espresso beans, 1 kg', 24.90),
	('00000000-0000-0000-0000-000000000002', 'Pour-over kettle', 49.00),
	('00000000-0000-0000-0000-000000000003', 'Burr grinder', 129.00);
