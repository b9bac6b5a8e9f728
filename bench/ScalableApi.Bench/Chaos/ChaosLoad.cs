using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace ScalableApi.Bench.Chaos;

/// <summary>
/// The steady load of bench/chaos during one fault (issue 15, point 7): anonymous product reads, each its own URL so
/// the gateway's edge cache answers none and the replicas and databases carry them, beside signed-in keyed
/// <c>POST /api/posts</c>. A writer retries a failed attempt with the same <c>Idempotency-Key</c>, as SPEC §2 tells a
/// client to; afterwards the content database says which acknowledged posts are missing (lost) or stored twice
/// (duplicated). Every answer is counted per second, so the report shows when failures began and ended.
/// </summary>
internal static class ChaosLoad
{
    private const int WriteAttempts = 6;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(Options options)
    {
        var settings = ChaosSettings.From(options);
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5), MaxConnectionsPerServer = 256 };
        using var client = new HttpClient(handler) { BaseAddress = settings.Url, Timeout = RequestTimeout };
        var tokens = await File.ReadAllLinesAsync(settings.TokensFile);
        var timeline = new Timeline(settings.Seconds);
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(settings.Seconds);
        var written = new List<WriteOutcome>();

        var readers = Enumerable.Range(0, settings.Readers).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            for (var n = 0; clock.Elapsed < until; n++)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"/api/products/{random.Next(1, settings.Products + 1)}?chaos={r}-{n}");
                var started = clock.Elapsed;
                var outcome = await SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, path));
                timeline.Read(started, outcome);
            }
        }));
        var writers = Enumerable.Range(0, settings.Writers).Select(w => Task.Run(async () =>
        {
            var token = tokens[w % tokens.Length];
            for (var n = 0; clock.Elapsed < until; n++)
            {
                var title = string.Create(CultureInfo.InvariantCulture, $"chaos-{settings.Label}-{w}-{n}");
                var outcome = await WriteAsync(client, clock, timeline, token, title);
                lock (written)
                {
                    written.Add(outcome);
                }
            }
        }));
        await Task.WhenAll(readers.Concat(writers));

        var stored = await StoredAsync(settings.ContentDb, settings.Label);
        var report = ChaosReport.Of(settings, timeline, written, stored);
        await File.WriteAllTextAsync(settings.Out, JsonSerializer.Serialize(report, ChaosReport.JsonOptions));
        Console.WriteLine(report.Summary());
        return 0;
    }

    private static async Task<WriteOutcome> WriteAsync(HttpClient client, Stopwatch clock, Timeline timeline, string token, string title)
    {
        var key = Guid.NewGuid().ToString("N");
        var first = default(Outcome);
        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var started = clock.Elapsed;
            var outcome = await SendAsync(client, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts")
                {
                    Content = JsonContent.Create(new { title, body = "written under a fault" }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("Idempotency-Key", key);
                return request;
            });
            timeline.Write(started, outcome, attempt > 0);
            if (attempt == 0)
            {
                first = outcome;
            }

            if (outcome.Status is 201)
            {
                return new WriteOutcome(title, first, Acknowledged: true, attempt + 1);
            }

            // 409: the first attempt of this key is still running; 408/429/5xx and transport failures may succeed later.
            if (outcome.Status is not (0 or 408 or 409 or 429 or >= 500))
            {
                return new WriteOutcome(title, first, Acknowledged: false, attempt + 1);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * (1 << attempt)));
        }

        return new WriteOutcome(title, first, Acknowledged: false, WriteAttempts);
    }

    private static async Task<Outcome> SendAsync(HttpClient client, Func<HttpRequestMessage> create)
    {
        using var request = create();
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return new Outcome((int)response.StatusCode, response.Headers.RetryAfter is not null, null, watch.Elapsed);
        }
        catch (TaskCanceledException)
        {
            return new Outcome(0, false, "timeout", watch.Elapsed);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(0, false, ex.HttpRequestError.ToString(), watch.Elapsed);
        }
    }

    /// <summary>How many times each title of this fault's run is stored, read from the primary (<c>--content-db</c>).</summary>
    private static async Task<Dictionary<string, int>> StoredAsync(string connectionString, string label)
    {
        // The writes' last replicas may still be committing a retried attempt; a moment lets them finish.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT title, count(*) FROM posts WHERE title LIKE @prefix GROUP BY title", connection);
        command.Parameters.AddWithValue("prefix", $"chaos-{label}-%");
        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return stored;
    }
}

/// <summary>One answer: status (0 when none came), whether it said when to retry, what failed in transport.</summary>
internal readonly record struct Outcome(int Status, bool RetryAfter, string? TransportError, TimeSpan Elapsed)
{
    public bool Succeeded => Status is >= 200 and < 400;

    /// <summary>The kind a report counts: the status, or the transport failure.</summary>
    public string Kind => Status == 0
        ? TransportError ?? "no answer"
        : Status == 503 && RetryAfter ? "503 with Retry-After" : Status.ToString(CultureInfo.InvariantCulture);
}

internal sealed record WriteOutcome(string Title, Outcome First, bool Acknowledged, int Attempts);

internal sealed record ChaosSettings(Uri Url, int Seconds, int Readers, int Writers, string TokensFile, int Products,
    string ContentDb, string Label, string Fault, double FaultAt, string Out)
{
    public static ChaosSettings From(Options options) => new(
        new Uri(options.Required("url")),
        options.Number("seconds", 40),
        options.Number("readers", 8),
        options.Number("writers", 8),
        options.Required("tokens"),
        options.Number("products", 1000),
        options.Required("content-db"),
        options.Required("label"),
        options.Text("fault", options.Required("label")),
        options.Number("fault-at", 10),
        options.Required("out"));
}
