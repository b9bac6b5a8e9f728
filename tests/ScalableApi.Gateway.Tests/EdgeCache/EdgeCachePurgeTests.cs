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

    public Task DisposeAsync() => Disposal.AllAsync(_upstream, _redis);

    [Fact]
    public async Task A_write_through_one_gateway_purges_the_other()
    {
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        using var admin = writer.CreateClient(writer.Tokens.Admin());
        Assert.Equal("v0-4", await client.GetStringAsync("/api/products/cached/4"));
        Assert.Equal("v0-4", await client.GetStringAsync("/api/products/cached/4"));
        Assert.Equal(1, _upstream.Requests);

        using var put = await admin.PutAsync("/api/products/cached/4", new StringContent("v1-4", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await Eventually.HoldsAsync(async () => await client.GetStringAsync("/api/products/cached/4") == "v1-4", "the other gateway purged");
    }

    [Fact]
    public async Task A_write_purges_its_keys_on_the_carrying_gateway_before_its_response_and_on_the_other_within_100_ms()
    {
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        using var writersClient = writer.CreateClient();
        using var admin = writer.CreateClient(writer.Tokens.Admin());
        foreach (var http in new[] { client, writersClient })
        {
            Assert.Equal("v0-42", await http.GetStringAsync("/api/products/cached/42"));
        }

        using var put = await admin.PutAsync("/api/products/cached/42", new StringContent("v1-42", Encoding.UTF8, "text/plain"));
        var answered = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.False(put.Headers.Contains("Surrogate-Key-Purge"));
        Assert.Equal("v1-42", await writersClient.GetStringAsync("/api/products/cached/42")); // no waiting: purged before the answer
        // The bound, as a deadline on the poll (how fast it is goes to bench/).
        while (await client.GetStringAsync("/api/products/cached/42") != "v1-42")
        {
            Assert.True(answered.ElapsedMilliseconds < 100, "the other gateway purged within 100 ms of the write's response");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Purging_one_product_leaves_the_others_cached_and_purges_the_list_pages()
    {
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var admin = writer.CreateClient(writer.Tokens.Admin());
        foreach (var gateway in new[] { writer, reader })
        {
            using var http = gateway.CreateClient();
            await http.GetStringAsync("/api/products/cached/43");
            await http.GetStringAsync("/api/products/cached");
        }

        using var put = await admin.PutAsync("/api/products/cached/42", new StringContent("v1-42", Encoding.UTF8, "text/plain"));

        foreach (var gateway in new[] { writer, reader })
        {
            using var http = gateway.CreateClient();
            await Eventually.HoldsAsync(async () => await http.GetStringAsync("/api/products/cached") == "list:v1-42", "the list page purged");
            var afterList = _upstream.Requests;
            Assert.Equal("v0-43", await http.GetStringAsync("/api/products/cached/43"));
            Assert.Equal(afterList, _upstream.Requests); // product 43 still a hit
        }
    }

    [Fact]
    public async Task A_delete_answered_without_a_body_purges_only_its_keys_on_both_gateways()
    {
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        using var writersClient = writer.CreateClient();
        using var admin = writer.CreateClient(writer.Tokens.Admin());
        foreach (var http in new[] { client, writersClient })
        {
            await http.GetStringAsync("/api/products/cached/43");
            await http.GetStringAsync("/api/products/cached/44");
        }

        using var delete = await admin.DeleteAsync("/api/products/cached/44");
        var answered = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(delete.Headers.Contains("Surrogate-Key-Purge"));
        Assert.Equal("gone-44", await writersClient.GetStringAsync("/api/products/cached/44")); // purged before the 204
        while (await client.GetStringAsync("/api/products/cached/44") != "gone-44")
        {
            Assert.True(answered.ElapsedMilliseconds < 100, "the other gateway purged within 100 ms of the delete's response");
            await Task.Delay(5);
        }

        var requests = _upstream.Requests;
        foreach (var http in new[] { client, writersClient })
        {
            Assert.Equal("v0-43", await http.GetStringAsync("/api/products/cached/43"));
        }

        Assert.Equal(requests, _upstream.Requests); // product 43 still a hit on both: the 204 did not purge everything
    }

    [Fact]
    public async Task A_write_naming_no_keys_still_empties_every_gateway()
    {
        _upstream.NamesPurgeKeys = false;
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        using var admin = writer.CreateClient(writer.Tokens.Admin());
        await client.GetStringAsync("/api/products/cached/43");

        using var put = await admin.PutAsync("/api/products/cached/42", new StringContent("v1-42", Encoding.UTF8, "text/plain"));

        await Eventually.HoldsAsync(
            async () =>
            {
                var requests = _upstream.Requests;
                await client.GetStringAsync("/api/products/cached/43");
                return _upstream.Requests == requests + 1;
            },
            "an unrelated product purged too");
    }

    [Fact]
    public async Task A_miss_in_flight_on_the_other_gateway_while_a_put_commits_does_not_leave_the_old_value_cached()
    {
        await using var writer = Gateway();
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        using var admin = writer.CreateClient(writer.Tokens.Admin());
        await _upstream.MissInFlightWhileAPutCommitsAsync(client, admin, "11");

        await Eventually.HoldsAsync(async () => await client.GetStringAsync("/api/products/cached/11") == "v1-11", "the new value served");
        Assert.Equal("v1-11", await client.GetStringAsync("/api/products/cached/11"));
    }

    [Fact]
    public async Task A_purge_a_service_publishes_for_keys_empties_only_those()
    {
        await using var reader = Gateway();
        using var client = reader.CreateClient();
        await client.GetStringAsync("/api/products/cached/6");
        await client.GetStringAsync("/api/products/cached/8");
        using var direct = new HttpClient { BaseAddress = new Uri(_upstream.Server.Address) };
        using var put = await direct.PutAsync("/api/products/cached/6", new StringContent("v1-6", Encoding.UTF8, "text/plain"));

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var services = new ServiceCollection().AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(redis).BuildServiceProvider();
        await ScalableApi.Platform.Caching.EdgePurges.PublishAsync(services, "catalog:cascade", ["product:6"]);

        await Eventually.HoldsAsync(async () => await client.GetStringAsync("/api/products/cached/6") == "v1-6", "the gateway purged product 6");
        var requests = _upstream.Requests;
        await client.GetStringAsync("/api/products/cached/8");
        Assert.Equal(requests, _upstream.Requests);
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

    [Fact]
    public async Task A_gateway_started_while_the_store_is_down_serves_full_age_hits_once_the_channel_comes_up()
    {
        _redis.Stop();
        await using var reader = Gateway(OnFakeTime);
        using var client = reader.CreateClient();
        await client.GetStringAsync("/api/products/cached/3");
        Assert.Equal(0, PrometheusText.Value(await client.GetStringAsync("/metrics"), "gateway_edge_cache_purge_channel_up"));

        _redis.Restart();
        await Eventually.HoldsAsync(
            async () => PrometheusText.Value(await client.GetStringAsync("/metrics"), "gateway_edge_cache_purge_channel_up") == 1,
            "the channel is up once the store is");
        // What was cached while nobody's purges could reach us went with the reconnect; what is cached now stays a hit
        // for its whole freshness, not only for the second a down channel allows (past the no-fill pause a purge starts).
        _time.Advance(TimeSpan.FromSeconds(1));
        var before = _upstream.Requests;
        await client.GetStringAsync("/api/products/cached/3");
        _time.Advance(TimeSpan.FromSeconds(5));
        await client.GetStringAsync("/api/products/cached/3");
        Assert.Equal(before + 1, _upstream.Requests);
    }

    private GatewayFactory Gateway(Action<IServiceCollection>? services = null) => EdgeGateways.Create(
        _upstream.Server.Address,
        new Dictionary<string, string?> { ["ConnectionStrings:redis"] = _redis.ConnectionString },
        services);

    private Action<IServiceCollection> OnFakeTime => EdgeGateways.Clock(_time);
}
