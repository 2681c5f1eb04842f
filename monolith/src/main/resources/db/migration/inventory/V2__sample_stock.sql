-- The stock of the catalog's sample products (same ids), so that orders can be placed at once.
INSERT INTO inventory.stock (product_id, available, reserved) VALUES
	('00000000-0000-0000-0000-000000000001', 100, 0),
	('00000000-0000-0000-0000-000000000002', 25, 0),
	('00000000-0000-0000-0000-000000000003', 5, 0);
