-- What an extracted inventory-service's backfill reads from the write-ahead log (change data
-- capture, inventory.backfill.method: log): the module's tables, made here because the module
-- owns them. The publication itself costs nothing until a replication slot reads through it.
CREATE PUBLICATION kit_inventory_backfill FOR TABLE inventory.stock, inventory.reservations,
	inventory.reservation_lines, inventory.awaited_lines, inventory.adjustments;
