-- Transactional outbox: an event row is written in the transaction of the change it announces, so it exists
-- iff that change committed; the relay moves it to the store's queue and deletes it.
CREATE TABLE outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id text NOT NULL,
    type text NOT NULL,
    payload text NOT NULL,
    trace_parent text,
    created_at bigint NOT NULL
);
