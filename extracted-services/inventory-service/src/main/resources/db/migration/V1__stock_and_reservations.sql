-- From the monolith module's migration V1 (db/migration/inventory), unchanged. The sample stock
-- (V2 there) is not repeated: the backfill copies the monolith's data.
CREATE TABLE inventory.stock (
	product_id UUID PRIMARY KEY,
	available  INT NOT NULL CHECK (available >= 0),
	reserved   INT NOT NULL CHECK (reserved >= 0)
);

-- One row per order: the idempotency key of every inventory step of the saga.
CREATE TABLE inventory.reservations (
	order_id   UUID PRIMARY KEY,
	status     TEXT        NOT NULL CHECK (status IN ('DECIDING', 'RESERVED', 'REJECTED', 'COMMITTED', 'RELEASED', 'VOID')),
	created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE inventory.reservation_lines (
	order_id   UUID NOT NULL REFERENCES inventory.reservations (order_id),
	product_id UUID NOT NULL,
	quantity   INT  NOT NULL CHECK (quantity > 0),
	PRIMARY KEY (order_id, product_id)
);
