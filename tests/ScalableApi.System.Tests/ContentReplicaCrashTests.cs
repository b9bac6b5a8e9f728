using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>
/// Issue 15, acceptance 4: a content replica dies (SIGKILL) while 8 clients create posts with Idempotency-Key through
/// the gateway. Each client behaves as the draft asks of one: it repeats a POST with the same key on 502, 503, 504
/// and 409 (after Retry-After) until it gets its 201. Afterwards every post a client was answered with exists once,
/// and no post exists twice or without an answer: 0 failed, 0 lost, 0 duplicated.
/// Its own topology, since a killed replica stays registered until its TTL runs out.
/// </summary>
public sealed class ContentReplicaCrashTests(SystemTopology topology, ITestOutputHelper output) : IClassFixture<SystemTopology>
{
    private const int Clients = 8;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Killing_one_of_two_content_replicas_during_keyed_posts_loses_and_duplicates_nothing()
    {
        var client = topology.GatewayClient;
        var marker = "idem" + Guid.NewGuid().ToString("N")[..10];
        var users = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => client.NewUserAsync($"writer{i}")));
        var answered = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        var repeats = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        // Counted again from the kill below (the writers run LoadDuration - KillAfter past it); this bound only stops
        // them if the test fails before the kill.
        using var stop = new CancellationTokenSource(LoadDuration + GiveUpAfter);

        var writers = users.Select((user, i) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var title = $"{marker} {i} {n}";
                var (id, why) = await CreateUntilAnsweredAsync(client, user, title, repeats);
                if (id is { } created)
                {
                    answered[title] = created;
                }
                else
                {
                    failures.Enqueue($"{clock.Elapsed.TotalSeconds:F1}s {title}: {why}");
                }
            }
        })).ToList();

        var victim = topology.ReplicasOf(SystemTopology.Content)[0];
        var victimDestination = await topology.DestinationIdAsync(victim);
        // At least KillAfter of writes, and a post answered for every client before the kill: on a loaded machine the
        // first posts (new users, cold replicas) took longer than 5 s, and a kill before any write proves nothing.
        var warmUp = Stopwatch.StartNew();
        while ((warmUp.Elapsed < KillAfter || answered.Count < Clients) && warmUp.Elapsed < GiveUpAfter)
        {
            await Task.Delay(100);
        }

        var beforeKill = answered.Count;
        var victimServed = (await topology.MetricsAsync()).UpstreamRequests(SystemTopology.Content, victimDestination ?? "");
        topology.KillReplica(victim);
        stop.CancelAfter(LoadDuration - KillAfter);
        await Task.WhenAll(writers);
        var after = await topology.MetricsAsync();

        var stored = await StoredPostsAsync(marker);
        var duplicated = stored.GroupBy(p => p.Title).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var lost = answered.Where(a => !stored.Any(p => p.Id == a.Value && p.Title == a.Key)).Select(a => a.Key).ToList();
        var unanswered = stored.Where(p => !answered.ContainsKey(p.Title)).Select(p => p.Title).ToList();
        var report = $"{answered.Count} posts answered ({beforeKill} before the kill of {victim} at {warmUp.Elapsed.TotalSeconds:F1} s), "
            + $"{stored.Count} stored, {failures.Count} failed, {lost.Count} lost, {duplicated.Count} duplicated, {unanswered.Count} stored without an answer; "
            + $"repeats by status: {string.Join(", ", repeats.OrderBy(r => r.Key).Select(r => $"{r.Key} x{r.Value}"))}; "
            + $"gateway retries: {after.Sum("gateway_upstream_retries_total", ("cluster", SystemTopology.Content))}, "
            + $"attempts that failed on the victim: {after.UpstreamRequests(SystemTopology.Content, victimDestination ?? "", "error")}"
            + Environment.NewLine + string.Join(Environment.NewLine, failures.Take(20).Concat(duplicated.Take(10)).Concat(lost.Take(10)));
        output.WriteLine(report);

        Assert.True(victimServed > 0 && beforeKill > 0 && answered.Count > beforeKill, $"no writes on one side of the kill: the test proves nothing.{Environment.NewLine}{report}");
        Assert.True(failures.IsEmpty, report);
        Assert.True(lost.Count == 0, report);
        Assert.True(duplicated.Count == 0, report);
        // A post whose client stopped before its answer would show here; every client waits for its last answer.
        Assert.True(unanswered.Count == 0, report);
    }

    /// <summary>One post, repeated with one key until a 201 (or a final answer that is not worth repeating).</summary>
    private static async Task<(long? Id, string Why)> CreateUntilAnsweredAsync(
        HttpClient client, SignedInUser user, string title, ConcurrentDictionary<string, int> repeats)
    {
        var key = Guid.NewGuid().ToString();
        var deadline = Stopwatch.StartNew();
        var why = "";
        while (deadline.Elapsed < GiveUpAfter)
        {
            try
            {
                using var response = await client.SendAsync(
                    HttpMethod.Post, "/api/posts", user.AccessToken, new { title, body = "written once" }, h => h.Add("Idempotency-Key", key));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return ((await response.JsonAsync()).GetProperty("id").GetInt64(), "");
                }

                why = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.GatewayTimeout or HttpStatusCode.Conflict))
                {
                    return (null, why);
                }

                repeats.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, c) => c + 1);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                why = ex.GetType().Name + ": " + ex.Message;
                repeats.AddOrUpdate("no response", 1, (_, c) => c + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }

        return (null, "gave up: " + why);
    }

    private async Task<List<StoredPost>> StoredPostsAsync(string marker)
    {
        var file = global::System.IO.Path.Combine(topology.DataDirectory, "content.db");
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<StoredPost>(
            "SELECT id AS Id, title AS Title FROM posts WHERE title LIKE @pattern", new { pattern = marker + " %" })];
    }

    private sealed record StoredPost(long Id, string Title);
}
