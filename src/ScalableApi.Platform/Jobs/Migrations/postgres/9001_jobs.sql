-- The platform's durable job queue, in the database of each service that uses it (see docs/adr/0003).
-- Times are bigint unix milliseconds. status: draft (being uploaded, invisible), queued, running, completed, failed.
CREATE TABLE jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL,
    status text NOT NULL,
    payload text NOT NULL DEFAULT '{}',
    total bigint,
    processed bigint NOT NULL DEFAULT 0,
    failed bigint NOT NULL DEFAULT 0,
    checkpoint bigint NOT NULL DEFAULT 0,
    attempts bigint NOT NULL DEFAULT 0,
    max_attempts bigint NOT NULL,
    last_error text,
    run_at bigint NOT NULL,
    lease_owner text,
    lease_until bigint,
    trace_parent text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);

-- The claim: queued and due (status, run_at), or running with an expired lease (status, lease_until).
CREATE INDEX ix_jobs_status_run_at ON jobs (status, run_at);
CREATE INDEX ix_jobs_status_lease_until ON jobs (status, lease_until);
-- GET /api/jobs?status=: equality on status, keyset on id (newest first).
CREATE INDEX ix_jobs_status_id ON jobs (status, id);

-- The first bad items of a job (an import's lines), written in the transaction of their checkpoint.
CREATE TABLE job_errors (
    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    line bigint NOT NULL,
    message text NOT NULL,
    PRIMARY KEY (job_id, line)
);

-- A job's input, streamed in: chunks of whole lines, so any replica can read it and resume in the middle.
CREATE TABLE job_chunks (
    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    first_line bigint NOT NULL,
    line_count bigint NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (job_id, seq)
);
