-- Idempotency records: the stored answer of a keyed POST, written in the transaction of its effect, so an effect
-- exists iff its record does. One per (caller, key): the unique constraint makes a second run of the same key fail
-- and roll its effect back. Also the tombstones of deletes (key "delete:{path}"), so a retried DELETE answers 204.
CREATE TABLE idempotency_records (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    caller text NOT NULL,
    idempotency_key text NOT NULL,
    fingerprint text NOT NULL,
    status integer NOT NULL,
    headers text,
    body text,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    UNIQUE (caller, idempotency_key)
);

-- The sweep deletes expired records oldest first in bounded batches.
CREATE INDEX idempotency_records_expires_at ON idempotency_records (expires_at);
