CREATE TABLE orders.orders (
	id          UUID PRIMARY KEY,
	customer_id TEXT           NOT NULL,
	status      TEXT           NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
	reason      TEXT,
	total       NUMERIC(14, 2) NOT NULL,
	placed_at   TIMESTAMPTZ    NOT NULL DEFAULT now(),
	finished_at TIMESTAMPTZ
);

CREATE TABLE orders.order_lines (
	order_id   UUID           NOT NULL REFERENCES orders.orders (id),
	line_no    INT            NOT NULL,
	product_id UUID           NOT NULL,
	quantity   INT            NOT NULL CHECK (quantity > 0),
	unit_price NUMERIC(12, 2) NOT NULL,
	PRIMARY KEY (order_id, line_no)
);

CREATE INDEX orders_by_status ON orders.orders (status);
