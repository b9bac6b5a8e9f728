using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace ScalableApi.Bench;

/// <summary>
/// Issue #13 point 5: how long a caching edge keeps answering a product's old value after a write to it was
/// acknowledged. A writer, signed in as an admin, replaces one product every second through the edge, with the
/// version number as its stock; a reader reads it anonymously through the same edge, back to back. A read is
/// stale when it started after version k's PUT had answered and still shows an older version; its staleness is
/// how long after that answer it started. Appends one JSON line to <c>--out</c>: writes, reads, stale reads, the
/// longest and the median staleness. Runs beside wrk's load, so it measures the edge as it serves under load.
/// </summary>
internal static class StalenessProbe
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(Options options)
    {
        var baseUrl = new Uri(options.Required("url"));
        var email = options.Required("email");
        var password = options.Required("password");
        var productId = options.Number("product-id", 1);
        var duration = TimeSpan.FromSeconds(options.Number("seconds", 10));
        var system = options.Required("system");
        var connections = options.Number("connections", 1);
        var output = options.Required("out");
        var path = new Uri($"/api/products/{productId.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative);

        using var writer = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        using var reader = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        writer.DefaultRequestHeaders.Authorization = new("Bearer", await LogInAsync(writer, email, password));

        // Versions continue from what the product holds, so consecutive probes of one run never see an old one as new.
        var (_, firstVersion) = await ReadVersionAsync(reader, path);
        var acknowledged = new List<(long Version, TimeSpan At)> { (firstVersion ?? 0, TimeSpan.Zero) };
        var clock = Stopwatch.StartNew();
        var writeErrors = 0;
        var readErrors = 0;
        var reads = 0;
        var staleness = new List<double>();

        var writes = Task.Run(async () =>
        {
            for (var k = 1; clock.Elapsed + WriteInterval <= duration; k++)
            {
                var due = WriteInterval * k;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var version = (firstVersion ?? 0) + k;
                using var response = await writer.PutAsJsonAsync(path, new { name = "staleness probe", description = "", price = 1.00m, stock = version });
                if (!response.IsSuccessStatusCode)
                {
                    writeErrors++;
                    continue;
                }

                var at = clock.Elapsed;
                lock (acknowledged)
                {
                    acknowledged.Add((version, at));
                }
            }
        });

        while (clock.Elapsed < duration)
        {
            var started = clock.Elapsed;
            (long Version, TimeSpan At) latest;
            lock (acknowledged)
            {
                latest = acknowledged[^1];
            }

            var (ok, seen) = await ReadVersionAsync(reader, path);
            reads++;
            if (!ok || seen is null)
            {
                readErrors++;
                continue;
            }

            if (seen < latest.Version)
            {
                // Stale since the first acknowledged version newer than the one served.
                TimeSpan since;
                lock (acknowledged)
                {
                    since = acknowledged.First(a => a.Version > seen).At;
                }

                staleness.Add((started - since).TotalMilliseconds);
            }
        }

        await writes;
        staleness.Sort();
        var line = JsonSerializer.Serialize(new
        {
            system,
            connections,
            seconds = duration.TotalSeconds,
            writes = acknowledged.Count - 1,
            writeErrors,
            reads,
            readErrors,
            staleReads = staleness.Count,
            maxStaleMs = staleness.Count == 0 ? 0 : Math.Round(staleness[^1], 1),
            medianStaleMs = staleness.Count == 0 ? 0 : Math.Round(staleness[staleness.Count / 2], 1),
        });
        await File.AppendAllTextAsync(output, line + Environment.NewLine);
        Console.WriteLine(line);
        return writeErrors == 0 && acknowledged.Count > 1 ? 0 : 1;
    }

    private static async Task<string> LogInAsync(HttpClient client, string email, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"login of {email} at {client.BaseAddress} answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("accessToken").GetString()
            ?? throw new InvalidOperationException($"login of {email} returned no accessToken");
    }

    private static async Task<(bool Ok, long? Version)> ReadVersionAsync(HttpClient client, Uri path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            if (!response.IsSuccessStatusCode)
            {
                return (false, null);
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (true, json.RootElement.GetProperty("stock").GetInt64());
        }
        catch (HttpRequestException)
        {
            return (false, null);
        }
        catch (TaskCanceledException)
        {
            return (false, null);
        }
    }
}
