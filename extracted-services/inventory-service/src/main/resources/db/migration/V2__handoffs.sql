-- From the monolith module's migration V3 (db/migration/inventory), unchanged.
-- Ownership handoffs with the inventory-service (see InventoryService):
-- AWAITING marks an order whose reservation the other owner decides, and every adjustment of the
-- stock is kept by its event id, so that a follower applies each one once.
ALTER TABLE inventory.reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE inventory.reservations ADD CONSTRAINT reservations_status_check
	CHECK (status IN ('AWAITING', 'DECIDING', 'RESERVED', 'REJECTED', 'COMMITTED', 'RELEASED', 'VOID'));
CREATE INDEX reservations_awaiting ON inventory.reservations (order_id) WHERE status = 'AWAITING';

CREATE TABLE inventory.adjustments (
	event_id             UUID PRIMARY KEY,
	product_id           UUID        NOT NULL,
	previously_available INT         NOT NULL,
	available            INT         NOT NULL,
	adjusted_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
