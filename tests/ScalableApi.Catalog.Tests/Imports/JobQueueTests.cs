using Dapper;
using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog.Tests.Imports;

/// <summary>The platform job queue as the catalog runs it: retries with backoff, dead letters, requeue, lease fencing, metrics.</summary>
public abstract class JobQueueTests(ImportFixture factory)
{
    [SkippableFact]
    public async Task A_job_failing_on_every_attempt_is_dead_lettered_with_its_last_error_and_a_retry_requeues_it()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var queued = await factory.Queue.EnqueueAsync(AlwaysFailingHandler.JobType);

        var dead = await admin.UntilAsync(queued.Id, JobStatus.Failed);
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("transient trouble on attempt 3", dead.LastError, StringComparison.Ordinal);

        using var retry = await admin.PostAsync(new Uri($"/api/jobs/{queued.Id}/retry", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal($"/api/jobs/{queued.Id}", retry.Headers.Location?.OriginalString);
        var requeued = (await retry.Content.ReadFromJsonAsync<Job>())!;
        Assert.Equal(JobStatus.Queued, requeued.Status);
        Assert.Equal(0, requeued.Attempts);

        // It runs its attempts again (and, this handler being hopeless, is dead again after three more).
        await Eventually.HoldsAsync(async () => (await admin.GetJobAsync(queued.Id)) is { Status: JobStatus.Failed, Attempts: 3 }, "dead again");
    }

    [SkippableFact]
    public async Task A_transient_failure_is_retried_with_backoff_until_it_succeeds()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var queued = await factory.Queue.EnqueueAsync(FailTwiceHandler.JobType);

        var done = await admin.UntilAsync(queued.Id, JobStatus.Completed);

        Assert.Equal(3, done.Attempts);
        Assert.Null(done.LastError);
    }

    [SkippableFact]
    public async Task A_replica_whose_lease_was_taken_over_cannot_save_progress()
    {
        var database = factory.Services.GetRequiredService<IDatabase>();
        long id;
        await using (var connection = await database.OpenWriteAsync())
        {
            // A job running elsewhere under a live lease: the worker here must leave it alone.
            id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO jobs (type, status, payload, max_attempts, run_at, lease_owner, lease_until, created_at, updated_at) " +
                "VALUES ('test-fails-twice', 'running', '{}', 3, 0, 'other-replica', @Until, 0, 0) RETURNING id",
                new { Until = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds() });
        }

        var zombie = new JobContext(
            new JobRow { Id = id, Type = "test-fails-twice", Status = JobStatus.Running, Attempts = 1, MaxAttempts = 3 },
            database,
            TimeProvider.System,
            owner: "zombie");
        await using (var connection = await database.OpenWriteAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<JobLeaseLostException>(() =>
                zombie.SaveAsync(transaction, 10, 10, 0, [], CancellationToken.None));
        }

        Assert.Equal(0, await factory.ScalarAsync("SELECT processed FROM jobs WHERE id = @Id", new { Id = id }));
        Assert.Equal("running", (await factory.Services.GetRequiredService<JobQueue>().GetAsync(id, CancellationToken.None))!.Status);
    }

    [SkippableFact]
    public async Task A_running_job_whose_lease_lapsed_is_resumed_by_this_replica()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        var database = factory.Services.GetRequiredService<IDatabase>();
        long id;
        await using (var connection = await database.OpenWriteAsync())
        {
            // As a replica killed mid-run leaves it: running, attempt 2 begun, lease expired.
            id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO jobs (type, status, payload, max_attempts, run_at, attempts, lease_owner, lease_until, created_at, updated_at) " +
                "VALUES ('test-fails-twice', 'running', '{}', 3, 0, 2, 'dead-replica', 1, 0, 0) RETURNING id");
        }

        var done = await admin.UntilAsync(id, JobStatus.Completed);
        Assert.Equal(3, done.Attempts);
    }

    [SkippableFact]
    public async Task Metrics_show_the_queue_under_the_names_the_dashboards_use()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var client = factory.CreateClient();
        await admin.UntilAsync((await factory.Queue.EnqueueAsync(FailTwiceHandler.JobType)).Id, JobStatus.Completed);

        var metrics = (await MetricsPage.ScrapeAsync(client)).Text;

        foreach (var name in new[] { "jobs_queued", "jobs_running", "jobs_dead", "job_attempts_total" })
        {
            Assert.True(Series(metrics, name).Any(), $"{name} missing:\n{string.Join("\n", metrics.Split('\n').Where(l => l.Contains("job", StringComparison.Ordinal) && !l.StartsWith("http", StringComparison.Ordinal)))}");
        }

        Assert.Contains(
            Series(metrics, "job_duration_seconds_bucket"),
            line => line.Contains($"type=\"{FailTwiceHandler.JobType}\"", StringComparison.Ordinal) && line.Contains("status=\"completed\"", StringComparison.Ordinal));
    }

    /// <summary>The lines of one metric name exactly (<c>name{…} v</c> or <c>name v</c>).</summary>
    internal static IEnumerable<string> Series(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));
}

public sealed class SqliteJobQueueTests(SqliteImportFixture factory) : JobQueueTests(factory), IClassFixture<SqliteImportFixture>;

public sealed class PostgresJobQueueTests(PostgresImportFixture factory) : JobQueueTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresImportFixture>;
