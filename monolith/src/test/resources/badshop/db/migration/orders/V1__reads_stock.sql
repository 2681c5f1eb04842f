-- Bad: an orders migration that names the inventory schema.
CREATE VIEW orders.stock_levels AS SELECT product_id, available FROM inventory.stock;
