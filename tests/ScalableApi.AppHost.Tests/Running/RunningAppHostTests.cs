using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ScalableApi.AppHost.Tests.Running;

/// <summary>
/// The local run as a user starts it (<c>-- --https</c>): the gateway on HTTPS with the certificate made in the data
/// directory (issue 15, acceptance 3), and a replica that dies is restarted and back behind the gateway, one that dies
/// again soon after waiting twice as long first (acceptance 5).
/// </summary>
public sealed partial class RunningAppHostTests(AppHostRun apphost, ITestOutputHelper output) : IClassFixture<AppHostRun>
{
    private static readonly TimeSpan HealWithin = TimeSpan.FromSeconds(30);

    // The backoff test asserts the waits the supervisor chose, not how fast a replica heals: a looser bound.
    private static readonly TimeSpan BackoffHealWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_https_the_gateway_answers_over_tls_with_the_certificate_in_the_data_directory_and_sends_hsts()
    {
        Assert.True(File.Exists(apphost.CertificatePath), apphost.Output);
        using var client = apphost.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var named = new HttpRequestMessage(HttpMethod.Get, "/api/products?limit=1");
        named.Headers.Host = "api.example.test";
        using var products = await client.SendAsync(named);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, products.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(products.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Contains(apphost.Output.Split('\n'), line => line.Contains(" gateway    https://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_catalog_replica_is_restarted_and_two_catalog_destinations_are_healthy_again_within_30_s()
    {
        using var client = apphost.CreateClient();
        var before = apphost.ServiceProcesses("ScalableApi.Catalog");
        Assert.True(before.Count == 2, $"catalog processes: {string.Join(", ", before)}{Environment.NewLine}{apphost.Output}");
        Assert.Equal(2, (await HealthyCatalogDestinationsAsync(client)).Count);

        var victim = before[0];
        using (var process = Process.GetProcessById(victim))
        {
            process.Kill(); // SIGKILL, the process alone: the AppHost is not told.
        }

        var clock = Stopwatch.StartNew();
        IReadOnlyList<int> now = [];
        IReadOnlyList<string> healthy = [];
        while (clock.Elapsed < HealWithin)
        {
            now = apphost.ServiceProcesses("ScalableApi.Catalog");
            healthy = await HealthyCatalogDestinationsAsync(client);
            if (!now.Contains(victim) && now.Count == 2 && healthy.Count == 2)
            {
                break;
            }

            await Task.Delay(250);
        }

        output.WriteLine($"healed in {clock.Elapsed.TotalSeconds:0.0} s: processes {string.Join(", ", now)}, healthy {string.Join(", ", healthy)}");
        var report = $"after {clock.Elapsed.TotalSeconds:0.0} s: catalog processes {string.Join(", ", now)} (killed {victim}), healthy destinations {string.Join(", ", healthy)}{Environment.NewLine}{apphost.Output}";
        Assert.True(!now.Contains(victim) && now.Count == 2, report);
        Assert.True(healthy.Count == 2, report);
        Assert.Contains(apphost.Output.Split('\n'), line => line.Contains("exited unexpectedly", StringComparison.Ordinal) && line.Contains("catalog-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replica_that_dies_again_soon_after_its_restart_waits_twice_as_long_before_the_next()
    {
        using var client = apphost.CreateClient();
        var first = await KillOneCatalogReplicaAndHealAsync(client);
        var second = await KillOneCatalogReplicaAndHealAsync(client, restarted: first.After.Except(first.Before).Single());

        // The same replica (the process the supervisor started) died within a minute of its restart: backoff.
        Assert.True(second.Restart.Resource == first.Restart.Resource, $"{first.Restart} then {second.Restart}{Environment.NewLine}{apphost.Output}");
        Assert.Equal(first.Restart.Attempt + 1, second.Restart.Attempt);
        Assert.Equal(Math.Min(first.Restart.DelaySeconds * 2, 30), second.Restart.DelaySeconds);
    }

    /// <summary>
    /// SIGKILLs <paramref name="restarted"/> (or the first catalog process), waits until two catalog processes run again
    /// and both destinations are healthy, and returns the supervisor's log line about it.
    /// </summary>
    private async Task<(IReadOnlyList<int> Before, IReadOnlyList<int> After, Restart Restart)> KillOneCatalogReplicaAndHealAsync(
        HttpClient client, int? restarted = null)
    {
        var before = apphost.ServiceProcesses("ScalableApi.Catalog");
        Assert.True(before.Count == 2, $"catalog processes: {string.Join(", ", before)}{Environment.NewLine}{apphost.Output}");
        var victim = restarted ?? before[0];
        var linesBefore = Restarts().Count;
        using (var process = Process.GetProcessById(victim))
        {
            process.Kill();
        }

        var clock = Stopwatch.StartNew();
        IReadOnlyList<int> now = [];
        IReadOnlyList<string> healthy = [];
        while (clock.Elapsed < BackoffHealWithin)
        {
            now = apphost.ServiceProcesses("ScalableApi.Catalog");
            healthy = await HealthyCatalogDestinationsAsync(client);
            if (!now.Contains(victim) && now.Count == 2 && healthy.Count == 2 && Restarts().Count > linesBefore)
            {
                break;
            }

            await Task.Delay(250);
        }

        var restarts = Restarts();
        var report = $"after {clock.Elapsed.TotalSeconds:0.0} s: catalog processes {string.Join(", ", now)} (killed {victim}), healthy {string.Join(", ", healthy)}{Environment.NewLine}{apphost.Output}";
        Assert.True(!now.Contains(victim) && now.Count == 2 && healthy.Count == 2 && restarts.Count > linesBefore, report);
        output.WriteLine($"killed {victim}: {restarts[^1]}, healed in {clock.Elapsed.TotalSeconds:0.0} s");
        return (before, now, restarts[^1]);
    }

    /// <summary>The supervisor's "exited unexpectedly … restarting in N s (attempt A)" lines about catalog replicas, in order.</summary>
    private List<Restart> Restarts() =>
        [.. apphost.Output.Split('\n').Select(line => RestartLine().Match(line)).Where(m => m.Success).Select(m => new Restart(
            m.Groups[1].Value,
            double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    private sealed record Restart(string Resource, double DelaySeconds, int Attempt);

    [GeneratedRegex(@"(catalog-\S+) exited unexpectedly \(exit code [^)]*\); restarting in ([0-9.]+) s \(attempt (\d+)\)")]
    private static partial Regex RestartLine();

    private static async Task<IReadOnlyList<string>> HealthyCatalogDestinationsAsync(HttpClient client)
    {
        try
        {
            var metrics = await client.GetStringAsync("/metrics");
            return [.. HealthyCatalog().Matches(metrics).Select(m => m.Groups[1].Value)];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    [GeneratedRegex("""^gateway_upstream_healthy\{cluster="catalog",destination="([^"]+)"\} 1$""", RegexOptions.Multiline)]
    private static partial Regex HealthyCatalog();
}
