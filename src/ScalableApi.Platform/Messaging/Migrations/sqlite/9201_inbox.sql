-- Inbox: ids of the events this service has handled, written in the handler's transaction, so a redelivered
-- event is recognised and skipped.
CREATE TABLE inbox (
    message_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    processed_at INTEGER NOT NULL
) STRICT;
