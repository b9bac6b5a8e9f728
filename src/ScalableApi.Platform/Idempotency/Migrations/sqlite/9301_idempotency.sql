-- Idempotency records: the stored answer of a keyed POST, written in the transaction of its effect, so an effect
-- exists iff its record does. One per (caller, key): the unique constraint makes a second run of the same key fail
-- and roll its effect back. Also the tombstones of deletes (key "delete:{path}"), so a retried DELETE answers 204.
CREATE TABLE idempotency_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    headers TEXT,
    body TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    UNIQUE (caller, idempotency_key)
) STRICT;

-- The sweep deletes expired records oldest first in bounded batches.
CREATE INDEX idempotency_records_expires_at ON idempotency_records (expires_at);
