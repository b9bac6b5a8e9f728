using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Tests.Health;

/// <summary>
/// Every replica of a cluster reports not ready at once when a dependency they share fails (the Redis-protocol store
/// is in every service's readiness, SPEC §2): then the gateway still sends traffic to all of them (YARP's default
/// available-destinations policy, HealthyOrPanic, which this pins) rather than answering 503 for the whole cluster,
/// because each replica can still serve from its memory and its database.
/// </summary>
public sealed class PanicModeTests : IAsyncLifetime
{
    private readonly List<UpstreamServer> _replicas = [];
    private volatile bool _ready = true;

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "one", "two" })
        {
            _replicas.Add(await UpstreamServer.StartAsync(name, app => app.Use(async (context, next) =>
            {
                if (!_ready && context.Request.Path.StartsWithSegments("/health/ready"))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                await next(context);
            })));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reads_are_still_served_while_every_replica_reports_not_ready()
    {
        await using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:one:Address"] = _replicas[0].Address,
            ["ReverseProxy:Clusters:catalog:Destinations:two:Address"] = _replicas[1].Address,
            ["ReverseProxy:Clusters:catalog:HealthCheck:Active:Interval"] = "00:00:00.200",
            ["ReverseProxy:Clusters:catalog:Metadata:ConsecutiveFailuresHealthPolicy.Threshold"] = "1",
        });
        using var client = gateway.CreateClient();
        using (var before = await client.GetAsync(new Uri("/api/products/1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _ready = false;
        await Eventually.HoldsAsync(() => Task.FromResult(ActiveHealth(gateway).All(h => h == DestinationHealth.Unhealthy)), "both replicas unhealthy");

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync(new Uri($"/api/products/{i}?n={i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(_replicas.All(r => r.Requests > 1), "both replicas served requests while reporting not ready");
    }

    private static IEnumerable<DestinationHealth> ActiveHealth(GatewayFactory gateway) =>
        gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("catalog", out var cluster)
            ? cluster.Destinations.Values.Select(d => d.Health.Active).ToList()
            : throw new InvalidOperationException("no catalog cluster");
}
