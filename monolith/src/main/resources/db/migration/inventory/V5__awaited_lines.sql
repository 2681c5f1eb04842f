-- What an order whose reservation the other owner decides asks for: a new owner keeps that much
-- back from what it decides until the previous owner's decision has arrived, instead of waiting
-- for it (see InventoryService).
CREATE TABLE inventory.awaited_lines (
	order_id   UUID NOT NULL REFERENCES inventory.reservations (order_id),
	product_id UUID NOT NULL,
	quantity   INT  NOT NULL CHECK (quantity > 0),
	PRIMARY KEY (order_id, product_id)
);
CREATE INDEX reservations_awaiting_placed ON inventory.reservations (placed_at) WHERE status = 'AWAITING';
