using Dapper;
using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog.Tests.Imports;

/// <summary>The catalog with a quick job queue (short polls and backoff, 3 attempts) and two test job types.</summary>
public class ImportFixture(DatabaseEngine engine) : ServiceFactory<Program>(engine)
{
    /// <summary>The import route's own limit here: above the platform's 1 MiB, small enough to exceed in a test.</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Jobs:PollInterval", "00:00:00.050"),
        new("Jobs:RetryBaseDelay", "00:00:00.050"),
        new("Jobs:RetryMaxDelay", "00:00:00.200"),
        new("Jobs:MaxAttempts", "3"),
        new("Jobs:MaxConcurrency", "4"),
        new("Catalog:Import:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Catalog:Import:BatchSize", "100"),
    ];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IJobHandler, AlwaysFailingHandler>();
        services.AddSingleton<IJobHandler, FailTwiceHandler>();
    }

    public JobQueue Queue => Services.GetRequiredService<JobQueue>();

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = await Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }
}

public sealed class SqliteImportFixture() : ImportFixture(DatabaseEngine.Sqlite);

public sealed class PostgresImportFixture() : ImportFixture(DatabaseEngine.Postgres);

/// <summary>A transient failure every time: the job must end dead-lettered after <c>Jobs:MaxAttempts</c> runs.</summary>
internal sealed class AlwaysFailingHandler : IJobHandler
{
    public const string JobType = "test-always-fails";

    public string Type => JobType;

    public Task RunAsync(JobContext job, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"transient trouble on attempt {job.Attempt}");
}

/// <summary>Fails on its first two runs, then completes.</summary>
internal sealed class FailTwiceHandler : IJobHandler
{
    public const string JobType = "test-fails-twice";

    public string Type => JobType;

    public Task RunAsync(JobContext job, CancellationToken cancellationToken) =>
        job.Attempt <= 2 ? throw new TimeoutException($"attempt {job.Attempt} timed out") : Task.CompletedTask;
}

/// <summary>Import calls and job polling over HTTP.</summary>
internal static class ImportClient
{
    public static string Line(string name, decimal price = 1.5m, int stock = 3, string description = "imported") =>
        System.Text.Json.JsonSerializer.Serialize(new { name, description, price, stock });

    public static async Task<HttpResponseMessage> ImportAsync(this HttpClient client, string body, string contentType = "application/x-ndjson")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync("/api/products/import", content);
    }

    public static async Task<Job> GetJobAsync(this HttpClient client, long id)
    {
        using var response = await client.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Job>())!;
    }

    /// <summary>Polls the job until it has <paramref name="status"/>; returns it.</summary>
    public static async Task<Job> UntilAsync(this HttpClient client, long id, string status, int seconds = 30)
    {
        Job? job = null;
        await Eventually.HoldsAsync(async () => (job = await client.GetJobAsync(id)).Status == status, $"job {id} {status} (last: {job?.Status}, {job?.LastError})", seconds);
        return job!;
    }
}
