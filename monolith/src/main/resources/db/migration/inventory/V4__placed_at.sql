-- When each order was placed: a new owner of the inventory waits only for the previous owner's
-- decisions, the orders placed before the handoff (see InventoryService).
ALTER TABLE inventory.reservations ADD COLUMN placed_at TIMESTAMPTZ;
