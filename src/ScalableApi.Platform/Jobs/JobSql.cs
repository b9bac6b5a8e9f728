using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Jobs;

/// <summary>
/// Every SQL text of the job queue. The same on both engines except the claim: PostgreSQL skips rows another
/// replica's claim has locked (<c>FOR UPDATE SKIP LOCKED</c>); SQLite has one writer at a time, so its single
/// <c>UPDATE … RETURNING</c> is already exclusive. Every change of a running job is fenced by
/// <c>lease_owner = @Owner</c>: a replica whose lease was taken over changes nothing (its transaction rolls back).
/// </summary>
internal static class JobSql
{
    internal const string Columns = """
        id AS Id, type AS Type, status AS Status, payload AS Payload, total AS Total, processed AS Processed,
        failed AS Failed, checkpoint AS Checkpoint, attempts AS Attempts, max_attempts AS MaxAttempts,
        last_error AS LastError, lease_owner AS LeaseOwner, trace_parent AS TraceParent,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    internal const string Insert = $"""
        INSERT INTO jobs (type, status, payload, total, max_attempts, run_at, trace_parent, created_at, updated_at)
        VALUES (@Type, @Status, @Payload, @Total, @MaxAttempts, @Now, @TraceParent, @Now, @Now)
        RETURNING {Columns}
        """;

    internal const string Publish = $"""
        UPDATE jobs SET status = 'queued', total = @Total, run_at = @Now, updated_at = @Now
        WHERE id = @Id AND status = 'draft'
        RETURNING {Columns}
        """;

    internal const string DeleteDraft = "DELETE FROM jobs WHERE id = @Id AND status = 'draft'";

    internal const string SweepDrafts = "DELETE FROM jobs WHERE status = 'draft' AND run_at < @Before";

    private const string ClaimSet = """
        UPDATE jobs SET status = 'running', lease_owner = @Owner, lease_until = @LeaseUntil,
            attempts = attempts + 1, updated_at = @Now
        """;

    // Queued and due, or running under a lapsed lease (its replica died): oldest first, so a resumed job goes first.
    private const string ClaimCandidates = """
        SELECT id FROM jobs
        WHERE (status = 'queued' AND run_at <= @Now) OR (status = 'running' AND lease_until < @Now)
        ORDER BY run_at, id
        LIMIT 1
        """;

    internal static string Claim(DatabaseEngine engine) => engine == DatabaseEngine.Postgres
        ? $"{ClaimSet} WHERE id = ({ClaimCandidates} FOR UPDATE SKIP LOCKED) RETURNING {Columns}"
        : $"{ClaimSet} WHERE id = ({ClaimCandidates}) RETURNING {Columns}";

    private const string Fence = "WHERE id = @Id AND lease_owner = @Owner AND status = 'running'";

    internal const string Heartbeat = $"UPDATE jobs SET lease_until = @LeaseUntil {Fence}";

    internal const string Checkpoint = $"""
        UPDATE jobs SET checkpoint = @Checkpoint, processed = processed + @Processed, failed = failed + @Failed,
            updated_at = @Now
        {Fence}
        """;

    internal const string InsertError =
        "INSERT INTO job_errors (job_id, line, message) VALUES (@JobId, @Line, @Message) ON CONFLICT DO NOTHING";

    internal const string Complete = $"""
        UPDATE jobs SET status = 'completed', last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        {Fence}
        """;

    internal const string RetryLater = $"""
        UPDATE jobs SET status = 'queued', run_at = @RunAt, last_error = @Error, lease_owner = NULL, lease_until = NULL,
            updated_at = @Now
        {Fence}
        """;

    internal const string DeadLetter = $"""
        UPDATE jobs SET status = 'failed', last_error = @Error, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        {Fence}
        """;

    // A replica stopping (SIGTERM) hands its jobs back at once; the interrupted run does not count as an attempt.
    internal const string Release = $"""
        UPDATE jobs SET status = 'queued', run_at = @Now, attempts = attempts - 1, lease_owner = NULL, lease_until = NULL
        {Fence}
        """;

    internal const string Requeue = $"""
        UPDATE jobs SET status = 'queued', attempts = 0, run_at = @Now, last_error = NULL, updated_at = @Now
        WHERE id = @Id AND status = 'failed'
        RETURNING {Columns}
        """;

    internal const string GetById = $"SELECT {Columns} FROM jobs WHERE id = @Id AND status <> 'draft'";

    internal const string Errors = """
        SELECT job_id AS JobId, line AS Line, message AS Message FROM job_errors
        WHERE job_id = @Id ORDER BY line LIMIT 100
        """;

    internal static string ErrorsOf(DatabaseEngine engine) => $"""
        SELECT job_id AS JobId, line AS Line, message AS Message FROM job_errors
        WHERE job_id {(engine == DatabaseEngine.Postgres ? "= ANY(@Ids)" : "IN @Ids")} ORDER BY job_id, line
        """;

    internal const string List = $"""
        SELECT {Columns} FROM jobs
        WHERE status IN ('queued', 'running', 'completed', 'failed') AND id < @Before
        ORDER BY id DESC LIMIT @Take
        """;

    internal const string ListByStatus = $"""
        SELECT {Columns} FROM jobs
        WHERE status = @Status AND id < @Before
        ORDER BY id DESC LIMIT @Take
        """;

    internal const string Counts = """
        SELECT status AS Status, COUNT(*) AS Count FROM jobs
        WHERE status IN ('queued', 'running', 'failed') GROUP BY status
        """;

    internal const string Exists = "SELECT 1 FROM jobs WHERE id = @Id AND status <> 'draft'";

    internal const string InsertChunk = """
        INSERT INTO job_chunks (job_id, seq, first_line, line_count, data)
        VALUES (@JobId, @Seq, @FirstLine, @LineCount, @Data)
        """;

    // The chunk holding line @Line, or the first after it; then the next ones by seq.
    internal const string ChunkAt = """
        SELECT seq AS Seq, first_line AS FirstLine, line_count AS LineCount, data AS Data FROM job_chunks
        WHERE job_id = @JobId AND first_line + line_count > @Line
        ORDER BY seq LIMIT 1
        """;

    internal const string NextChunk = """
        SELECT seq AS Seq, first_line AS FirstLine, line_count AS LineCount, data AS Data FROM job_chunks
        WHERE job_id = @JobId AND seq > @Seq
        ORDER BY seq LIMIT 1
        """;
}
