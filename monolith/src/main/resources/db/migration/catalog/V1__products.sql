CREATE TABLE catalog.products (
	id         UUID PRIMARY KEY,
	name       TEXT           NOT NULL,
	price      NUMERIC(12, 2) NOT NULL CHECK (price > 0),
	created_at TIMESTAMPTZ    NOT NULL DEFAULT now()
);
