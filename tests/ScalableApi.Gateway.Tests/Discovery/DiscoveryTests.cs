using ScalableApi.Platform.Discovery;
using StackExchange.Redis;

namespace ScalableApi.Gateway.Tests.Discovery;

/// <summary>
/// Replicas that register in the store get traffic within seconds; replicas that leave stop getting it. On embedded
/// Garnet and on redis-server, each test with a store of its own (registrations are global keys).
/// </summary>
public abstract class DiscoveryTests(RedisStoreKind storeKind) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private TestRedis _redis = null!;
    private readonly string _service = "catalog";
    private ConnectionMultiplexer _connection = null!;
    private ServiceRegistry _registry = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.StartStoppable(storeKind);
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _registry = new ServiceRegistry(_connection, TimeProvider.System);
        // A clean slate: another test run may have used the same redis-server.
        await _connection.GetDatabase().KeyDeleteAsync([DiscoveryKeys.Expiries(_service), DiscoveryKeys.Instances(_service)]);
        _gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = "RoundRobin",
            ["Gateway:Discovery:ReconcileInterval"] = "00:00:01",
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _connection, _redis);

    [SkippableFact]
    public async Task A_registered_replica_gets_traffic_and_a_departed_one_stops_getting_it()
    {
        await using var first = await UpstreamServer.StartAsync("first");
        await using var second = await UpstreamServer.StartAsync("second");
        using var client = _gateway.CreateClient();
        var firstInstance = new ServiceInstance("first", _service, first.Address, 1);
        var secondInstance = new ServiceInstance("second", _service, second.Address, 1);

        await _registry.AnnounceAsync(firstInstance, TimeSpan.FromSeconds(30));
        await Eventually(async () => (await client.GetAsync("/api/products/1")).StatusCode == HttpStatusCode.OK);

        await _registry.AnnounceAsync(secondInstance, TimeSpan.FromSeconds(30));
        await Eventually(async () =>
        {
            (await client.GetAsync("/api/products/1")).Dispose();
            return second.Requests > 0;
        });

        await _registry.DeregisterAsync(firstInstance);
        await Eventually(async () =>
        {
            var before = first.Requests;
            for (var i = 0; i < 4; i++)
            {
                (await client.GetAsync("/api/products/1")).Dispose();
            }

            return first.Requests == before;
        });

        // Once it has left, no request fails and none reaches it.
        var requestsBefore = first.Requests;
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("second:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(requestsBefore, first.Requests);
    }

    [SkippableFact]
    public async Task A_store_that_restarts_empty_takes_no_destination_away_until_replicas_can_register_again()
    {
        // bench/chaos: redis-server stopped for 10 s made every product read a 503 for 15 s, because the first
        // reconcile after the restart found no registration left and emptied every cluster.
        await using var replica = await UpstreamServer.StartAsync("registered");
        using var client = _gateway.CreateClient();
        await _registry.AnnounceAsync(new ServiceInstance("registered", _service, replica.Address, 1), TimeSpan.FromSeconds(30));
        await Eventually(async () => (await client.GetAsync("/api/products/1")).StatusCode == HttpStatusCode.OK);

        _redis.Stop();
        _redis.Restart();
        Assert.Empty(await ListWhenConnectedAsync());

        // Three reconcile intervals of the test gateway, well inside the grace: every read is still served.
        var until = DateTime.UtcNow.AddSeconds(3);
        for (var i = 0; DateTime.UtcNow < until; i++)
        {
            using var response = await client.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(50);
        }
    }

    [SkippableFact]
    public async Task A_replica_that_stops_heartbeating_expires()
    {
        await using var replica = await UpstreamServer.StartAsync("crashed");
        await _registry.AnnounceAsync(new ServiceInstance("crashed", _service, replica.Address, 1), TimeSpan.FromSeconds(1));

        await Eventually(async () => (await _registry.ListAsync(_service)).Count == 0);

        Assert.Empty(await _registry.ListAsync(_service));
    }

    /// <summary>The registry as the restarted store holds it, once the test's connection is back.</summary>
    private async Task<IReadOnlyList<ServiceInstance>> ListWhenConnectedAsync()
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                return await _registry.ListAsync(_service);
            }
            catch (RedisException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after the deadline the issue allows (5 s).</summary>
    private static Task Eventually(Func<Task<bool>> condition) =>
        Testing.Eventually.HoldsAsync(condition, "the gateway's routes follow the registry", (int)Deadline.TotalSeconds);
}

public sealed class GarnetDiscoveryTests() : DiscoveryTests(RedisStoreKind.Garnet);

public sealed class RedisServerDiscoveryTests() : DiscoveryTests(RedisStoreKind.RedisServer);
