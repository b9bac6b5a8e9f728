using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>A topology with short job leases whose catalog and content replicas the tests kill.</summary>
public sealed class CrashableTopology() : SystemTopology(new SystemTopologyOptions
{
    Environment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
    {
        [Users] = new Dictionary<string, string?> { ["Users__AdminEmails__0"] = SystemTopologyOptions.AdminEmail },
        // A killed replica's job is taken over once its lease lapses: 5 s here instead of 15 s.
        [Catalog] = new Dictionary<string, string?>
        {
            ["Jobs__LeaseDuration"] = "00:00:05",
            ["Jobs__HeartbeatInterval"] = "00:00:01",
            ["Jobs__PollInterval"] = "00:00:00.200",
            ["Catalog__Import__BatchSize"] = "250",
        },
    },
});

/// <summary>
/// Issue 12: the asynchronous half survives SIGKILL. A catalog replica killed half-way through a 50,000-line import
/// leaves the job to the other replica, which resumes from the last checkpoint: exactly 50,000 products, none
/// failed. A content replica killed at the moment of a user's deletion delays the cascade, within 30 s.
/// </summary>
public sealed class AsynchronousCrashTests(CrashableTopology topology, ITestOutputHelper output) : IClassFixture<CrashableTopology>
{
    private const int Lines = 50_000;

    [Fact]
    public async Task Killing_the_catalog_replica_running_a_50000_line_import_half_way_leaves_exactly_50000_products()
    {
        var client = topology.GatewayClient;
        var admin = await client.AdminAsync();
        var marker = "crash" + Guid.NewGuid().ToString("N")[..10];

        // ~4.5 MB: through the gateway's import route, past the 1 MiB every other route allows.
        var id = await client.ImportAsync(admin, JobsApi.Ndjson(marker, Lines));

        Replica? runner = null;
        Assert.True(await Poll.UntilAsync(() => Task.FromResult((runner = Runner(id)) is not null), TimeSpan.FromSeconds(60)), $"no replica started job {id}{Environment.NewLine}{topology.Tails()}");
        long processedAtKill = 0;
        Assert.True(
            await Poll.UntilAsync(async () => (processedAtKill = (await client.JobAsync(admin, id)).GetProperty("processed").GetInt64()) >= Lines / 10, TimeSpan.FromSeconds(120)),
            "the import made no progress");
        topology.KillReplica(runner!);
        output.WriteLine($"killed {runner} with {processedAtKill} of {Lines} lines processed");
        Assert.True(processedAtKill < Lines, $"the import had finished ({processedAtKill}) before the kill: the test proves nothing");

        global::System.Text.Json.JsonElement job = default;
        Assert.True(
            await Poll.UntilAsync(async () => (job = await client.JobAsync(admin, id)).GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(180)),
            $"job not finished: {job}{Environment.NewLine}{topology.Tails()}");
        output.WriteLine(job.ToString());

        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(Lines, job.GetProperty("processed").GetInt64());
        Assert.Equal(0, job.GetProperty("failed").GetInt64());
        Assert.True(job.GetProperty("attempts").GetInt32() >= 2, $"not resumed: {job}");
        var (rows, distinct) = await CountAsync(marker);
        Assert.Equal(Lines, rows);
        Assert.Equal(Lines, distinct);
        var resumer = topology.ReplicasOf(SystemTopology.Catalog).Single(r => r != runner);
        Assert.Contains(
            File.ReadLines(resumer.Process.StdoutPath),
            line => IsStart(line, id) && line.Contains("\"Attempt\":2", StringComparison.Ordinal) && !line.Contains("\"Checkpoint\":0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_content_replica_killed_at_the_moment_of_deletion_the_users_content_still_goes_within_30_seconds()
    {
        var client = topology.GatewayClient;
        var user = await client.NewUserAsync("doomed");
        using (var post = await client.SendAsync(HttpMethod.Post, "/api/posts", user.AccessToken, new { title = "soon gone", body = "b" }))
        {
            await post.ExpectAsync(HttpStatusCode.Created);
        }

        var victim = topology.ReplicasOf(SystemTopology.Content)[0];
        topology.KillReplica(victim);
        using (var deleted = await client.SendAsync(HttpMethod.Delete, Path($"/api/users/{user.Id}"), user.AccessToken))
        {
            await deleted.ExpectAsync(HttpStatusCode.NoContent);
        }

        var started = DateTime.UtcNow;
        Assert.True(
            await Poll.UntilAsync(
                async () =>
                {
                    using var posts = await client.SendAsync(HttpMethod.Get, Path($"/api/users/{user.Id}/posts"));
                    return posts.StatusCode == HttpStatusCode.OK && (await posts.JsonAsync()).GetProperty("items").GetArrayLength() == 0;
                },
                TimeSpan.FromSeconds(30)),
            $"the user's posts still show 30 s after the delete{Environment.NewLine}{topology.Tails()}");
        output.WriteLine($"content removed {(DateTime.UtcNow - started).TotalSeconds:0.0} s after the 204 with {victim} killed");
    }

    /// <summary>The catalog replica whose log says it started <paramref name="jobId"/>.</summary>
    private Replica? Runner(long jobId) =>
        topology.ReplicasOf(SystemTopology.Catalog).FirstOrDefault(r =>
            File.Exists(r.Process.StdoutPath)
            && ReadShared(r.Process.StdoutPath).Split('\n').Any(line => IsStart(line, jobId)));

    /// <summary>The worker's "job started" line (JSON: its event name and the job id property).</summary>
    private static bool IsStart(string line, long jobId) =>
        line.Contains("\"Name\":\"LogStarted\"", StringComparison.Ordinal)
        && line.Contains(global::System.FormattableString.Invariant($"\"JobId\":{jobId},"), StringComparison.Ordinal);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task<(long Rows, long Distinct)> CountAsync(string marker)
    {
        var file = global::System.IO.Path.Combine(topology.DataDirectory, "catalog.db");
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        var pattern = marker + " %";
        return (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products WHERE name LIKE @pattern", new { pattern }),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT name) FROM products WHERE name LIKE @pattern", new { pattern }));
    }
}
