-- The platform's durable job queue, in the database of each service that uses it (see docs/adr/0003).
-- Times are INTEGER unix milliseconds. status: draft (being uploaded, invisible), queued, running, completed, failed.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    total INTEGER,
    processed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    checkpoint INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT,
    run_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    trace_parent TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- The claim: queued and due (status, run_at), or running with an expired lease (status, lease_until).
CREATE INDEX ix_jobs_status_run_at ON jobs (status, run_at);
CREATE INDEX ix_jobs_status_lease_until ON jobs (status, lease_until);
-- GET /api/jobs?status=: equality on status, keyset on id (newest first).
CREATE INDEX ix_jobs_status_id ON jobs (status, id);

-- The first bad items of a job (an import's lines), written in the transaction of their checkpoint.
CREATE TABLE job_errors (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (job_id, line)
) STRICT;

-- A job's input, streamed in: chunks of whole lines, so any replica can read it and resume in the middle.
CREATE TABLE job_chunks (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    first_line INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (job_id, seq)
) STRICT;
