-- The style of each order's saga, fixed when it is placed: an order in flight finishes in
-- its own style across a switch of shop.saga.style.
ALTER TABLE orders.orders
	ADD COLUMN saga_style TEXT NOT NULL DEFAULT 'CHOREOGRAPHY' CHECK (saga_style IN ('CHOREOGRAPHY', 'ORCHESTRATION'));

-- An orchestrated saga: what the orchestrator needs beyond the order (the card to charge)
-- and, once a step failed, why the order is being compensated.
CREATE TABLE orders.sagas (
	order_id   UUID PRIMARY KEY REFERENCES orders.orders (id),
	card_last4 TEXT NOT NULL,
	failure    TEXT
);

-- Each command the orchestrator sent: when, how often, until when it waits for the answer,
-- and the answer.
CREATE TABLE orders.saga_steps (
	order_id    UUID        NOT NULL REFERENCES orders.sagas (order_id),
	step        TEXT        NOT NULL CHECK (step IN ('RESERVE_STOCK', 'CHARGE_PAYMENT', 'RELEASE_STOCK')),
	attempts    INT         NOT NULL DEFAULT 1,
	sent_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
	deadline    TIMESTAMPTZ NOT NULL,
	answered_at TIMESTAMPTZ,
	answer      TEXT,
	PRIMARY KEY (order_id, step)
);

CREATE INDEX saga_steps_awaiting ON orders.saga_steps (deadline) WHERE answered_at IS NULL;
