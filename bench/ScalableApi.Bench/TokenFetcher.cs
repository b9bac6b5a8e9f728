using System.Net.Http.Json;
using System.Text.Json;

namespace ScalableApi.Bench;

/// <summary>
/// The signed-in scenario's tokens: logs in <c>--count</c> seeded users spread over 1..<c>--users</c> before the
/// run (so the run itself measures no login), one access token per line for mixed.lua. Works against our
/// gateway and the Express baseline alike: both answer <c>{accessToken}</c>.
/// </summary>
internal static class TokenFetcher
{
    public static async Task RunAsync(Options options)
    {
        var baseUrl = new Uri(options.Required("url"));
        var output = options.Required("out");
        var count = options.Number("count", 32);
        var users = options.Number("users", 10_000);
        var password = options.Text("password", "bench-password-1");
        var domain = options.Text("domain", "bench.test");

        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var ids = Enumerable.Range(0, count).Select(i => 1 + (int)((long)i * users / count)).ToArray();
        var tokens = new string[ids.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = $"user{ids[i]}@{domain}", password }, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"login of user{ids[i]}@{domain} at {baseUrl} answered {(int)response.StatusCode}: {body}");
            }

            using var json = JsonDocument.Parse(body);
            tokens[i] = json.RootElement.GetProperty("accessToken").GetString()
                ?? throw new InvalidOperationException($"login of user{ids[i]} returned no accessToken");
        });

        await File.WriteAllLinesAsync(output, tokens);
        Console.WriteLine($"{tokens.Length} tokens from {baseUrl} in {output}");
    }
}
