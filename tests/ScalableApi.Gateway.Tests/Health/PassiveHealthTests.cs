using System.Diagnostics;
using ScalableApi.Gateway.Health;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Tests.Health;

/// <summary>
/// A replica that fails at the transport level (its connections are cut before any response) is ejected by real
/// traffic and, once it recovers, gets traffic again after the cluster's ReactivationPeriod. Both passive policies:
/// ours, and YARP's failure rate with its detection window shortened in configuration (by default that window, 60 s,
/// overrides any shorter ReactivationPeriod).
/// </summary>
public sealed class PassiveHealthTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private UpstreamServer _live = null!;
    private UpstreamServer _flaky = null!;
    private volatile bool _broken = true;

    public async Task InitializeAsync()
    {
        _live = await UpstreamServer.StartAsync("live");
        _flaky = await UpstreamServer.StartAsync("flaky", app => app.Use(async (context, next) =>
        {
            if (_broken && context.Request.Path.StartsWithSegments("/api"))
            {
                context.Abort(); // connection reset before a response byte: what a killed process looks like
                return;
            }

            await next(context);
        }));
    }

    public Task DisposeAsync() => Disposal.AllAsync(_live, _flaky);

    /// <summary>Both passive health policies the gateway offers: consecutive failures, and a failure rate.</summary>
    public static TheoryData<string> Policies => [ConsecutiveTransportFailuresHealthPolicy.PolicyName, "TransportFailureRate"];

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task A_destination_failing_at_transport_level_gets_no_traffic_once_ejected(string policy)
    {
        await using var gateway = Gateway(policy, reactivation: TimeSpan.FromMinutes(10));
        using var client = gateway.CreateClient();
        var ejectionsBefore = await EjectionsAsync(client);

        await SendUntilAsync(client, () => PassiveHealth(gateway) == DestinationHealth.Unhealthy);
        var flakyRequests = _flaky.Requests;

        // Concurrent requests too: none of them reaches the ejected replica, and the ejection is counted once.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"live:{i}", await GetAsync(client, i));
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(100, 16).Select(i => GetAsync(client, i)));
        Assert.All(concurrent, body => Assert.StartsWith("live:", body, StringComparison.Ordinal));

        Assert.Equal(flakyRequests, _flaky.Requests);
        Assert.Equal(ejectionsBefore + 1, await EjectionsAsync(client));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task A_recovered_destination_gets_traffic_again_after_the_reactivation_period(string policy)
    {
        await using var gateway = Gateway(policy, reactivation: TimeSpan.FromSeconds(1));
        using var client = gateway.CreateClient();
        await SendUntilAsync(client, () => PassiveHealth(gateway) == DestinationHealth.Unhealthy);

        _broken = false;

        // Well inside YARP's default 60 s window: the configured period is what holds.
        var answeredByFlaky = false;
        await SendUntilAsync(client, () => answeredByFlaky, body => answeredByFlaky |= body.StartsWith("flaky:", StringComparison.Ordinal));
    }

    /// <summary>Round robin: every other first attempt goes to the flaky replica. Active checks off: passive alone.</summary>
    private GatewayFactory Gateway(string policy, TimeSpan reactivation) => new(new Dictionary<string, string?>
    {
        ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = "RoundRobin",
        ["ReverseProxy:Clusters:catalog:Destinations:live:Address"] = _live.Address,
        ["ReverseProxy:Clusters:catalog:Destinations:flaky:Address"] = _flaky.Address,
        ["ReverseProxy:Clusters:catalog:HealthCheck:Active:Enabled"] = "false",
        ["ReverseProxy:Clusters:catalog:HealthCheck:Passive:Enabled"] = "true",
        ["ReverseProxy:Clusters:catalog:HealthCheck:Passive:Policy"] = policy,
        ["ReverseProxy:Clusters:catalog:HealthCheck:Passive:ReactivationPeriod"] = reactivation.ToString(),
        ["Gateway:PassiveHealth:TransportFailureRate:DetectionWindowSize"] = "00:00:01",
        ["Gateway:PassiveHealth:TransportFailureRate:MinimalTotalCountThreshold"] = "4",
    });

    private static DestinationHealth PassiveHealth(GatewayFactory gateway) =>
        gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("catalog", out var cluster)
        && cluster.Destinations.TryGetValue("flaky", out var flaky)
            ? flaky.Health.Passive
            : throw new InvalidOperationException("The flaky destination is not configured.");

    /// <summary>GETs (each must succeed: a failed attempt is retried on the live replica) until the condition holds.</summary>
    private static async Task SendUntilAsync(HttpClient client, Func<bool> done, Action<string>? seen = null)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; !done(); i++)
        {
            Assert.True(clock.Elapsed < Deadline, $"condition not reached after {i} requests");
            var body = await GetAsync(client, i);
            seen?.Invoke(body);
        }
    }

    private static Task<double> EjectionsAsync(HttpClient client) =>
        MetricsPage.ValueAsync(client, "gateway_upstream_ejections_total{cluster=\"catalog\",destination=\"flaky\"}");

    private static async Task<string> GetAsync(HttpClient client, int id)
    {
        using var response = await client.GetAsync(new Uri($"/api/products/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
