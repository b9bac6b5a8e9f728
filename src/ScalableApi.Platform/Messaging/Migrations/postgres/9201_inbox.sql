-- Inbox: ids of the events this service has handled, written in the handler's transaction, so a redelivered
-- event is recognised and skipped.
CREATE TABLE inbox (
    message_id text PRIMARY KEY,
    type text NOT NULL,
    processed_at bigint NOT NULL
);
