-- Transactional outbox: an event row is written in the transaction of the change it announces, so it exists
-- iff that change committed; the relay moves it to the store's queue and deletes it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    trace_parent TEXT,
    created_at INTEGER NOT NULL
) STRICT;
