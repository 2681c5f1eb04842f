-- The answers to writes sent with an Idempotency-Key; a row is written in the transaction of the
-- write's effect, so it exists exactly when the effect does.
CREATE TABLE IF NOT EXISTS kit_idempotent_request (
  idempotency_key VARCHAR(255)             NOT NULL PRIMARY KEY,
  method          VARCHAR(16)              NOT NULL,
  path            VARCHAR(2048)            NOT NULL,
  request_hash    CHAR(64)                 NOT NULL,
  status          INTEGER,
  location        VARCHAR(2048),
  content_type    VARCHAR(255),
  body            BYTEA,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS kit_idempotent_request_created_at ON kit_idempotent_request (created_at);
