using System.Diagnostics;
using Dapper;
using ScalableApi.Platform.Data;

using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Jobs;

/// <summary>
/// Runs this replica's share of the service's jobs: up to <see cref="JobsOptions.MaxConcurrency"/> at once, each
/// claimed with a lease that a heartbeat renews. A replica that dies stops renewing, and once the lease lapses
/// another replica's claim takes the job and its handler resumes from the last checkpoint. On SIGTERM running jobs
/// are handed back at once (not counted as an attempt).
/// </summary>
internal sealed partial class JobWorker(
    IDatabase database,
    IEnumerable<IJobHandler> handlers,
    JobSignal signal,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly string _claim = JobSql.Claim(database.Engine);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.WorkerEnabled)
        {
            // An API-only replica: it queues and shows jobs, other replicas run them.
            return;
        }

        using var slots = new SemaphoreSlim(settings.MaxConcurrency, settings.MaxConcurrency);
        var running = new HashSet<Task>();
        var nextSweep = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                JobRow? row = null;
                try
                {
                    if (time.GetUtcNow() >= nextSweep)
                    {
                        await SweepAsync(stoppingToken);
                        nextSweep = time.GetUtcNow() + SweepInterval;
                    }

                    row = await ClaimAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogClaimFailed(ex);
                }

                if (row is null)
                {
                    slots.Release();
                    await RefreshCountsAsync(stoppingToken);
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }

                var task = RunAndReleaseAsync(row, slots, stoppingToken);
                lock (running)
                {
                    running.Add(task);
                }

                _ = task.ContinueWith(
                    t =>
                    {
                        lock (running)
                        {
                            running.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through and wait for the running jobs to hand themselves back.
        }

        Task[] left;
        lock (running)
        {
            left = [.. running];
        }

        await Task.WhenAll(left);
    }

    private async Task RunAndReleaseAsync(JobRow row, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(row, stoppingToken);
        }
        catch (Exception ex)
        {
            LogRunFailed(ex, row.Id);
        }
        finally
        {
            slots.Release();
            signal.Wake(); // A slot is free: look for more work now rather than after a poll interval.
        }
    }

    private async Task<JobRow?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = UnixTime.Now(time);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            _claim,
            new { Owner = _owner, Now = now, LeaseUntil = now + (long)options.Value.LeaseDuration.TotalMilliseconds },
            cancellationToken: cancellationToken));
    }

    private async Task RunAsync(JobRow row, CancellationToken stoppingToken)
    {
        // The job's trace continues from the request that queued it (its traceparent is stored with the job).
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = JobMetrics.Activities.StartActivity($"job {row.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("job.id", row.Id);
        activity?.SetTag("job.type", row.Type);
        activity?.SetTag("job.attempt", row.Attempts);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = row.Id, ["JobType"] = row.Type });
        JobMetrics.Started(row.Type);
        var started = Stopwatch.GetTimestamp();
        LogStarted(row.Id, row.Type, row.Attempts, row.Checkpoint);

        if (!_handlers.TryGetValue(row.Type, out var handler))
        {
            await EndAsync(row, JobSql.DeadLetter, new { Error = $"No handler for job type '{row.Type}'." });
            JobMetrics.Ended(row.Type, JobStatus.Failed, Stopwatch.GetElapsedTime(started));
            return;
        }

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var leaseLost = false;
        using var heartbeat = new CancellationTokenSource();
        var beating = HeartbeatAsync(row.Id, () => { leaseLost = true; run.Cancel(); }, heartbeat.Token);
        string outcome;
        try
        {
            await handler.RunAsync(new JobContext(row, database, time, _owner), run.Token);
            await heartbeat.CancelAsync();
            await beating;
            outcome = await EndAsync(row, JobSql.Complete, new { }) ? JobStatus.Completed : "lease_lost";
            LogCompleted(row.Id, row.Type, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (leaseLost || ex is JobLeaseLostException)
        {
            outcome = "lease_lost";
            LogLeaseLost(row.Id);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever the handler threw while being cancelled: the replica is stopping, the job is not at fault.
            outcome = "released";
            await EndAsync(row, JobSql.Release, new { });
            LogReleased(row.Id);
        }
        catch (Exception ex)
        {
            var permanent = ex is PermanentJobFailureException;
            var error = permanent ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            if (permanent || row.Attempts >= row.MaxAttempts)
            {
                outcome = JobStatus.Failed;
                await EndAsync(row, JobSql.DeadLetter, new { Error = error });
                LogDead(ex, row.Id, row.Type, row.Attempts);
            }
            else
            {
                outcome = "retrying";
                var delay = options.Value.Backoff((int)row.Attempts);
                await EndAsync(row, JobSql.RetryLater, new { Error = error, RunAt = UnixTime.Now(time) + (long)delay.TotalMilliseconds });
                LogRetrying(ex, row.Id, row.Type, row.Attempts, delay.TotalSeconds);
            }
        }
        finally
        {
            await heartbeat.CancelAsync();
            await beating;
        }

        JobMetrics.Ended(row.Type, outcome, Stopwatch.GetElapsedTime(started));
        activity?.SetTag("job.outcome", outcome);
    }

    private async Task HeartbeatAsync(long id, Action lost, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.HeartbeatInterval, time, cancellationToken);
                try
                {
                    var now = UnixTime.Now(time);
                    await using var connection = await database.OpenWriteAsync(cancellationToken);
                    var renewed = await connection.ExecuteAsync(new CommandDefinition(
                        JobSql.Heartbeat,
                        new { Id = id, Owner = _owner, LeaseUntil = now + (long)options.Value.LeaseDuration.TotalMilliseconds },
                        cancellationToken: cancellationToken));
                    if (renewed == 0)
                    {
                        lost();
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One failed renewal is not a lost lease; the next beat tries again well before it lapses.
                    LogHeartbeatFailed(ex, id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    /// <summary>Applies a fenced end-of-run statement; false when the job was no longer ours.</summary>
    private async Task<bool> EndAsync(JobRow row, string sql, object extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.Add("Id", row.Id);
        parameters.Add("Owner", _owner);
        parameters.Add("Now", UnixTime.Now(time));
        // Not the stopping token: a replica that is stopping must still hand its job back.
        await using var connection = await database.OpenWriteAsync(CancellationToken.None);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: CancellationToken.None)) > 0;
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var before = UnixTime.Now(time) - (long)options.Value.DraftTimeout.TotalMilliseconds;
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var swept = await connection.ExecuteAsync(new CommandDefinition(JobSql.SweepDrafts, new { Before = before }, cancellationToken: cancellationToken));
        if (swept > 0)
        {
            LogSwept(swept);
        }
    }

    private async Task RefreshCountsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenReadAsync(cancellationToken);
            var counts = (await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(JobSql.Counts, cancellationToken: cancellationToken)))
                .ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal);
            JobMetrics.Counts(counts.GetValueOrDefault(JobStatus.Queued), counts.GetValueOrDefault(JobStatus.Running), counts.GetValueOrDefault(JobStatus.Failed));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogClaimFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobType}) started, attempt {Attempt}, from checkpoint {Checkpoint}")]
    private partial void LogStarted(long jobId, string jobType, long attempt, long checkpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobType}) completed in {Seconds:0.###} s")]
    private partial void LogCompleted(long jobId, string jobType, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}) failed on attempt {Attempt}; retrying in {Seconds:0.#} s")]
    private partial void LogRetrying(Exception ex, long jobId, string jobType, long attempt, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({JobType}) failed on attempt {Attempt}: dead-lettered")]
    private partial void LogDead(Exception ex, long jobId, string jobType, long attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease taken over by another replica; this run's uncommitted work is dropped")]
    private partial void LogLeaseLost(long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} handed back for another replica (stopping)")]
    private partial void LogReleased(long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease renewal failed")]
    private partial void LogHeartbeatFailed(Exception ex, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job queue: claiming or counting failed")]
    private partial void LogClaimFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the worker failed to record the run's end")]
    private partial void LogRunFailed(Exception ex, long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job queue: deleted {Count} abandoned drafts")]
    private partial void LogSwept(int count);
}
