using Xunit.Abstractions;
using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>Issue 3, acceptance 4: replicas register themselves and the gateway follows them live.</summary>
[Collection(ChangingTopology.Name)]
public sealed class DiscoveryTests(SystemTopology topology, ITestOutputHelper output)
{
    /// <summary>The issue's own bound.</summary>
    private static readonly TimeSpan TrafficWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_third_catalog_replica_receives_traffic_within_five_seconds_of_becoming_ready()
    {
        var client = topology.GatewayClient;
        var admin = await client.AdminAsync();
        var id = await client.CreateProductAsync(admin);

        var third = await topology.StartReplicaAsync(SystemTopology.Catalog, waitUntilRouted: false);
        // Each read its own URL, so the edge cache answers none of them and the replicas see the traffic.
        var load = new LoadGenerator(client, clients: 2, n => Path($"/api/products/{id}?read={n}"));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        string? destination = null;
        var served = await Poll.UntilAsync(
            async () =>
            {
                var metrics = await topology.MetricsAsync();
                destination ??= metrics.Healthy(SystemTopology.Catalog).Keys.FirstOrDefault(third.IsDestination);
                return destination is not null && metrics.UpstreamRequests(SystemTopology.Catalog, destination) > 0;
            },
            TrafficWithin);
        await stop.CancelAsync();
        await running;

        Assert.True(served, $"{third} (destination {destination ?? "unknown to the gateway"}) got no 2xx within {TrafficWithin.TotalSeconds} s of being ready.{Environment.NewLine}{(await topology.MetricsAsync()).Text}");
        Assert.True(load.Failures.Count == 0, load.Describe());
    }

    [Fact]
    public async Task Stopping_a_catalog_replica_gracefully_during_reads_fails_no_request()
    {
        var client = topology.GatewayClient;
        var admin = await client.AdminAsync();
        var ids = await client.CreateProductsAsync(admin, 5, "Drain test");

        var replicas = topology.ReplicasOf(SystemTopology.Catalog);
        Assert.True(replicas.Count >= 2, "needs a replica left to serve");
        var load = new LoadGenerator(client, clients: 4, n => n % 4 == 0 ? "/api/products?limit=10" : Path($"/api/products/{ids[n % ids.Count]}"));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);

        // Some traffic first, so the stopping replica has pooled connections and requests in flight.
        await Poll.UntilAsync(() => Task.FromResult(load.Requests >= 200), TimeSpan.FromSeconds(30));
        await topology.StopReplicaGracefullyAsync(replicas[0]);
        var stoppedAt = load.Requests;
        await Poll.UntilAsync(() => Task.FromResult(load.Requests >= stoppedAt + 200), TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running;

        output.WriteLine(load.Describe());
        Assert.True(load.Failures.Count == 0, $"{load.Describe()}{Environment.NewLine}{topology.GatewayProcess.Tail(40)}");
    }
}
