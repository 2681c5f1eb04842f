-- Sent notifications. One per order and outcome: the unique key makes a redelivered event harmless.
CREATE TABLE notifications.notifications (
	id          UUID PRIMARY KEY,
	order_id    UUID        NOT NULL,
	customer_id TEXT        NOT NULL,
	kind        TEXT        NOT NULL CHECK (kind IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED')),
	message     TEXT        NOT NULL,
	sent_at     TIMESTAMPTZ NOT NULL,
	UNIQUE (order_id, kind)
);
