using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ScalableApi.AppHost.Tests.Running;

/// <summary>
/// The local run as a user starts it (<c>-- --https</c>): the gateway on HTTPS with the certificate made in the data
/// directory (issue 15, acceptance 3), and a replica that dies is restarted and back behind the gateway (acceptance 5).
/// </summary>
public sealed partial class RunningAppHostTests(AppHostRun apphost, ITestOutputHelper output) : IClassFixture<AppHostRun>
{
    private static readonly TimeSpan HealWithin = TimeSpan.FromSeconds(30);

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
