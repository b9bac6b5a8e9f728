using System.Diagnostics;
using Dapper;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Jobs;

/// <summary>
/// What a service's code does with its job queue: queue a job (at once, or as a draft whose input streams in
/// first), read jobs for the API, requeue a dead one. Running them is <see cref="JobWorker"/>'s business.
/// </summary>
public sealed class JobQueue(IDatabase database, IOptions<JobsOptions> options, TimeProvider time, JobSignal signal)
{
    /// <summary>Queues a job whose whole input is <paramref name="payload"/> (JSON); it runs on some replica soon.</summary>
    public async Task<Job> EnqueueAsync(string type, string payload = "{}", long? total = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<JobRow>(new CommandDefinition(
            JobSql.Insert, InsertValues(type, JobStatus.Queued, payload, total), cancellationToken: cancellationToken));
        JobMetrics.Queued(type);
        signal.Wake();
        return row.ToJob([]);
    }

    /// <summary>A job that no replica runs and the API does not show until <see cref="PublishAsync"/>: its input comes first.</summary>
    public async Task<long> CreateDraftAsync(string type, string payload = "{}", CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<JobRow>(new CommandDefinition(
            JobSql.Insert, InsertValues(type, JobStatus.Draft, payload, null), cancellationToken: cancellationToken));
        return row.Id;
    }

    /// <summary>Stores one chunk of a draft's input (committed on its own: the upload never holds the write lock).</summary>
    public async Task AppendChunkAsync(long jobId, int seq, long firstLine, int lineCount, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            JobSql.InsertChunk,
            new { JobId = jobId, Seq = (long)seq, FirstLine = firstLine, LineCount = (long)lineCount, Data = data.ToArray() },
            cancellationToken: cancellationToken));
    }

    /// <summary>The draft's input is complete and durable: the job is queued (this is the moment it was accepted).</summary>
    public async Task<Job> PublishAsync(long jobId, long? total, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<JobRow>(new CommandDefinition(
            JobSql.Publish, new { Id = jobId, Total = total, Now = UnixTime.Now(time) }, cancellationToken: cancellationToken));
        JobMetrics.Queued(row.Type);
        signal.Wake();
        return row.ToJob([]);
    }

    /// <summary>Drops a draft and its chunks (a rejected or abandoned upload).</summary>
    public async Task DeleteDraftAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(JobSql.DeleteDraft, new { Id = jobId }, cancellationToken: cancellationToken));
    }

    /// <summary>The job with its first 100 errors, from the primary (progress must not go backwards).</summary>
    public async Task<Job?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(JobSql.GetById, new { Id = id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var errors = await connection.QueryAsync<JobErrorRow>(new CommandDefinition(JobSql.Errors, new { Id = id }, cancellationToken: cancellationToken));
        return row.ToJob([.. errors.Select(e => new JobError(e.Line, e.Message))]);
    }

    /// <summary>Newest first, keyset on id; two queries a page whatever its size (jobs, then all their errors).</summary>
    public async Task<(IReadOnlyList<Job> Jobs, bool HasMore)> ListAsync(string? status, long beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var rows = (await connection.QueryAsync<JobRow>(new CommandDefinition(
            status is null ? JobSql.List : JobSql.ListByStatus,
            new { Status = status, Before = beforeId, Take = limit + 1 },
            cancellationToken: cancellationToken))).AsList();
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var errors = rows.Count == 0 ? [] : (await connection.QueryAsync<JobErrorRow>(new CommandDefinition(
            JobSql.ErrorsOf(database.Engine), new { Ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: cancellationToken)))
            .GroupBy(e => e.JobId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<JobError>)[.. g.Take(100).Select(e => new JobError(e.Line, e.Message))]);
        return ([.. rows.Select(r => r.ToJob(errors.GetValueOrDefault(r.Id) ?? []))], hasMore);
    }

    /// <summary>A dead-lettered job queued again with fresh attempts; it resumes from its checkpoint. Null when not failed.</summary>
    public async Task<RequeueOutcome> RequeueAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            JobSql.Requeue, new { Id = id, Now = UnixTime.Now(time) }, cancellationToken: cancellationToken));
        if (row is not null)
        {
            JobMetrics.Queued(row.Type);
            signal.Wake();
            return new RequeueOutcome(row.ToJob([]), Exists: true);
        }

        var exists = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(JobSql.Exists, new { Id = id }, cancellationToken: cancellationToken));
        return new RequeueOutcome(null, exists is not null);
    }

    private object InsertValues(string type, string status, string payload, long? total) => new
    {
        Type = type,
        Status = status,
        Payload = payload,
        Total = total,
        MaxAttempts = (long)options.Value.MaxAttempts,
        Now = UnixTime.Now(time),
        // The job's trace continues from the request that queued it.
        TraceParent = Activity.Current?.Id,
    };
}

/// <summary>The requeued job, or none: <see cref="Exists"/> tells "not failed" (409) from "no such job" (404).</summary>
public sealed record RequeueOutcome(Job? Job, bool Exists);
