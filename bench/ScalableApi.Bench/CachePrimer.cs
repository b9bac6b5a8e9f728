using System.Diagnostics;

namespace ScalableApi.Bench;

/// <summary>
/// Reads every id of a route once before the measured runs, so each system is measured warm, the way it serves
/// after minutes in production, rather than on its first pass over 10,000 cold keys: both our layered cache and
/// the Express design's Redis cache-aside fill here. Any non-2xx answer fails the run.
/// </summary>
internal static class CachePrimer
{
    public static async Task RunAsync(Options options)
    {
        var baseUrl = new Uri(options.Required("url"));
        var path = options.Required("path"); // e.g. /api/products/{id}
        var count = options.Number("count", 10_000);
        var concurrency = options.Number("concurrency", 32);
        if (!path.Contains("{id}", StringComparison.Ordinal))
        {
            throw new ArgumentException("--path must contain {id}");
        }

        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, ct) =>
        {
            using var response = await client.GetAsync(new Uri(path.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), UriKind.Relative), ct);
            if (!response.IsSuccessStatusCode && Interlocked.Increment(ref failures) <= 3)
            {
                Console.Error.WriteLine($"prime: {path} id {id} at {baseUrl} answered {(int)response.StatusCode}");
            }
        });

        Console.WriteLine($"primed {count} x {path} at {baseUrl} in {clock.Elapsed.TotalSeconds:F1} s ({count / clock.Elapsed.TotalSeconds:F0}/s)");
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} priming reads failed");
        }
    }
}
