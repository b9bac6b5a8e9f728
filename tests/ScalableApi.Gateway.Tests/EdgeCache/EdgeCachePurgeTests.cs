using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>Two gateways on one Redis-protocol store (embedded Garnet): a write through either purges both.</summary>
public sealed class EdgeCachePurgeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestRedis _redis = null!;
    private CacheableUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.StartStoppable(RedisStoreKind.Garnet);
        _upstream = await CacheableUpstream.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _redis.Dispose();
    }

    [Fact]
    public async Task A_write_through_one_gateway_purges_the_other()
    {
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        using var admin = writer.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", writer.Tokens.Admin());
        Assert.Equal("v0-4", await client.GetStringAsync("/api/products/cached/4"));
        Assert.Equal("v0-4", await client.GetStringAsync("/api/products/cached/4"));
        Assert.Equal(1, _upstream.Requests);

        using var put = await admin.PutAsync("/api/products/cached/4", new StringContent("v1-4", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await Eventually.HoldsAsync(async () => await client.GetStringAsync("/api/products/cached/4") == "v1-4", "the other gateway purged");
    }

    [Fact]
    public async Task A_purge_a_service_publishes_after_a_cascade_empties_the_gateways()
    {
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        Assert.Equal("v0-6", await client.GetStringAsync("/api/products/cached/6"));
        // The value changes behind the gateway, as an event handler's cascade would.
        using var admin = new HttpClient { BaseAddress = new Uri(_upstream.Server.Address) };
        using var direct = await admin.PutAsync("/api/products/cached/6", new StringContent("v1-6", Encoding.UTF8, "text/plain"));
        Assert.Equal("v0-6", await client.GetStringAsync("/api/products/cached/6"));

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var services = new ServiceCollection().AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(redis).BuildServiceProvider();
        await ScalableApi.Platform.Caching.EdgePurges.PublishAsync(services, "content:user-deleted");

        await Eventually.HoldsAsync(async () => await client.GetStringAsync("/api/products/cached/6") == "v1-6", "the gateway purged");
    }

    [Fact]
    public async Task While_the_purge_channel_is_down_hits_are_young_or_not_at_all_and_the_cache_empties_when_it_returns()
    {
        await using var reader = Gateway(OnFakeTime);
        using var client = reader.CreateClient();
        await client.GetStringAsync("/api/products/cached/2");
        await client.GetStringAsync("/api/products/cached/2");
        Assert.Equal(1, _upstream.Requests);

        _redis.Stop();
        await Eventually.HoldsAsync(
            async () =>
            {
                _time.Advance(TimeSpan.FromSeconds(2)); // older than MaxAgeWhilePurgeChannelDown (1 s)
                var before = _upstream.Requests;
                await client.GetStringAsync("/api/products/cached/2");
                await client.GetStringAsync("/api/products/cached/2");
                return _upstream.Requests == before + 1; // fetched, then the fresh copy (age 0) served once
            },
            "old hits refused while the channel is down");

        _redis.Restart();
        await Eventually.HoldsAsync(
            async () => (await client.GetStringAsync("/metrics")).Contains("gateway_edge_cache_purges_total{source=\"reconnect\"} 1", StringComparison.Ordinal),
            "the cache flushed when the channel came back");
        var afterReconnect = _upstream.Requests;
        await client.GetStringAsync("/api/products/cached/2");
        Assert.Equal(afterReconnect + 1, _upstream.Requests);
    }

    private GatewayFactory Gateway(Action<IServiceCollection>? services = null) => EdgeGateways.Create(
        _upstream.Server.Address,
        new Dictionary<string, string?> { ["ConnectionStrings:redis"] = _redis.ConnectionString },
        services);

    private void OnFakeTime(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(_time);
    }
}
