using Xunit.Abstractions;
using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>
/// Issue 3, acceptance 3: a catalog replica dies (SIGKILL) under load and no client sees it: idempotent requests
/// that fail before a response byte are retried on the other replica, and passive health ejects the dead one.
/// Its own topology, since a killed replica stays registered until its TTL runs out.
/// </summary>
public sealed class CatalogReplicaCrashTests(SystemTopology topology, ITestOutputHelper output) : IClassFixture<SystemTopology>
{
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);

    // A request whose response the killed replica had already begun (status and headers forwarded, chunked body
    // cut off) used to reach the client as a truncated 200 ("Error while copying content to a stream"; the gateway
    // logged ForwarderError.ResponseBodyDestination, not retryable once the response has started): about 1 run in 4,
    // on GET /api/products?limit=10. Fixed at the source: services send bodies up to 64 KiB whole, with
    // Content-Length, in one write (Platform/Http/BufferedResponseMiddleware), so a response is either in the
    // kernel's socket buffer when the process dies (it still arrives) or not begun (retried on the other replica).
    // Passive health ejects the victim after 3 transport failures in a row (ConsecutiveTransportFailures).
    [Fact]
    public async Task Killing_one_of_two_catalog_replicas_during_continuous_reads_fails_no_request()
    {
        var client = topology.GatewayClient;
        var admin = await client.AdminAsync();
        var ids = await client.CreateProductsAsync(admin, 10, "Crash test");

        var victim = topology.ReplicasOf(SystemTopology.Catalog)[0];
        var victimDestination = await topology.DestinationIdAsync(victim);
        var load = new LoadGenerator(client, clients: 8, n => n % 4 == 0 ? "/api/products?limit=10" : Path($"/api/products/{ids[n % ids.Count]}"));
        using var stop = new CancellationTokenSource(LoadDuration);
        var running = load.RunAsync(stop.Token);

        await Task.Delay(KillAfter);
        var beforeKill = await topology.MetricsAsync();
        topology.KillReplica(victim);
        await running;

        var after = await topology.MetricsAsync();
        var report = $"{load.Describe()}{Environment.NewLine}killed {victim} at {KillAfter.TotalSeconds} s, destination {victimDestination}"
            + $"{Environment.NewLine}retries: {after.Sum("gateway_upstream_retries_total", ("cluster", SystemTopology.Catalog))}"
            + $", ejections: {after.Sum("gateway_upstream_ejections_total", ("cluster", SystemTopology.Catalog))}"
            + $", attempts that failed on the victim: {after.UpstreamRequests(SystemTopology.Catalog, victimDestination ?? "", "error")}";
        output.WriteLine(report);
        if (load.Failures.Count > 0)
        {
            report += Environment.NewLine + GatewayWarnings();
        }

        Assert.True(victimDestination is not null && beforeKill.UpstreamRequests(SystemTopology.Catalog, victimDestination) > 0, $"the victim served nothing before it was killed: the test proves nothing.{Environment.NewLine}{report}");
        Assert.True(load.Requests > 100, report);
        Assert.True(load.Failures.Count == 0, report);
    }

    /// <summary>The gateway's warnings and errors (retries, proxy errors), which say why a request failed.</summary>
    private string GatewayWarnings()
    {
        var lines = File.ReadLines(topology.GatewayProcess.StdoutPath)
            .Where(line => line.Contains("\"Warning\"", StringComparison.Ordinal) || line.Contains("\"Error\"", StringComparison.Ordinal)
                || line.Contains("\"@l\":\"Warning\"", StringComparison.Ordinal) || line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal))
            .TakeLast(40);
        return $"gateway warnings/errors (last 40):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{Environment.NewLine}gateway stderr:{Environment.NewLine}{topology.GatewayProcess.Tail(20)}";
    }
}
