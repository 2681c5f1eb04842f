-- What payments knows of an order before charging it; filled by two events in either order.
CREATE TABLE payments.requests (
	order_id       UUID PRIMARY KEY,
	amount         NUMERIC(14, 2),
	card_last4     TEXT,
	stock_reserved BOOLEAN     NOT NULL DEFAULT false,
	created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One payment per order: the unique key makes a second charge impossible.
CREATE TABLE payments.payments (
	id         UUID PRIMARY KEY,
	order_id   UUID           NOT NULL UNIQUE,
	amount     NUMERIC(14, 2) NOT NULL,
	card_last4 TEXT           NOT NULL,
	status     TEXT           NOT NULL CHECK (status IN ('SUCCEEDED', 'DECLINED')),
	reason     TEXT,
	created_at TIMESTAMPTZ    NOT NULL
);
