-- The message ids each consumer has applied; written in the transaction of the effect.
CREATE TABLE IF NOT EXISTS kit_processed_message (
  consumer     VARCHAR(255)             NOT NULL,
  message_id   VARCHAR(255)             NOT NULL,
  message_type VARCHAR(255)             NOT NULL,
  processed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

-- The retention deletes by age.
CREATE INDEX IF NOT EXISTS kit_processed_message_by_time_idx ON kit_processed_message (processed_at);

-- The CDC relay's position in the write-ahead log (kit.messaging.relay: cdc), one store per
-- replication slot: Kafka Connect's offsets, as keys and values it wrote. Advanced only after
-- the broker confirmed what lies before it.
CREATE TABLE IF NOT EXISTS kit_cdc_offset (
  store      VARCHAR(63)              NOT NULL,
  key        BYTEA                    NOT NULL,
  value      BYTEA,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (store, key)
);
