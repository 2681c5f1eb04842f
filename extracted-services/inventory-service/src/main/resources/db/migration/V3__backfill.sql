-- The backfill from the monolith: done once (a row here), before the service first follows.
CREATE TABLE inventory.backfill (
	id          INT PRIMARY KEY CHECK (id = 1),
	snapshot_at TIMESTAMPTZ NOT NULL,
	report      TEXT        NOT NULL
);
