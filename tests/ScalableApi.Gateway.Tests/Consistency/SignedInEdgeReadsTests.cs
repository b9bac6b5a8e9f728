using ScalableApi.Gateway.Tests.EdgeCache;

namespace ScalableApi.Gateway.Tests.Consistency;

/// <summary>
/// Signed-in reads of public data through the edge cache (issue 14.3, 14.5): a signed-in reader gets the entry
/// anonymous readers get, privately, unless one of their own writes of the window purged one of its keys; then the read
/// goes upstream (with their consistency token), as on a gateway the write's purge has not reached yet.
/// </summary>
public abstract class SignedInEdgeReadsTests(RedisStoreKind storeKind) : IAsyncLifetime
{
    private TestRedis _redis = null!;
    private CacheableUpstream _upstream = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.Start(storeKind);
        _upstream = await CacheableUpstream.StartAsync();
        _gateway = GatewayFactory.OnStore(
            _redis.ConnectionString,
            [
                new("Gateway:RateLimits:Enabled", "false"),
                new("Gateway:ConsistencyTokens:WindowSeconds", "1"),
                // A loaded CI machine can stall the store; a timeout would send the reads upstream.
                new("Gateway:ConsistencyTokens:StoreTimeoutMilliseconds", "5000"),
                new("Gateway:EdgeCache:NoFillAfterPurge", "00:00:00"),
                new("ReverseProxy:Clusters:catalog:LoadBalancingPolicy", "RoundRobin"),
                new("ReverseProxy:Clusters:catalog:Destinations:d0:Address", _upstream.Server.Address),
            ]);
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _upstream, _redis);

    [SkippableFact]
    public async Task A_signed_in_reader_without_recent_writes_gets_the_cached_copy_privately()
    {
        using var anonymous = _gateway.CreateClient();
        using var reader = _gateway.CreateClient(_gateway.Tokens.Create(NewUserId()));
        await anonymous.GetStringAsync("/api/products/cached/1");

        for (var i = 0; i < 3; i++)
        {
            using var response = await reader.GetAsync("/api/products/cached/1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("v0-1", await response.Content.ReadAsStringAsync());
            Assert.Equal("no-store, private", response.Headers.CacheControl?.ToString()); // as HttpClient formats "private, no-store"
        }

        Assert.Equal(1, _upstream.Requests);
    }

    [SkippableFact]
    public async Task A_signed_in_miss_fills_the_entry_anonymous_readers_then_get()
    {
        using var anonymous = _gateway.CreateClient();
        using var reader = _gateway.CreateClient(_gateway.Tokens.Create(NewUserId()));

        Assert.Equal("v0-2", await reader.GetStringAsync("/api/products/cached/2"));
        Assert.Equal("v0-2", await anonymous.GetStringAsync("/api/products/cached/2"));
        Assert.Equal("v0-2", await reader.GetStringAsync("/api/products/cached/2"));

        Assert.Equal(1, _upstream.Requests);
    }

    [SkippableFact]
    public async Task A_writer_reads_what_their_write_changed_upstream_and_the_rest_from_the_cache_until_the_window_ends()
    {
        using var anonymous = _gateway.CreateClient();
        using var writer = _gateway.CreateClient(_gateway.Tokens.Admin(NewUserId())); // the gateway lets admins write products
        await anonymous.GetStringAsync("/api/products/cached/3");
        await anonymous.GetStringAsync("/api/products/cached/4");
        using (var put = await writer.PutAsync("/api/products/cached/3", new StringContent("v1-3", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // Cached again by an anonymous read: on a gateway the purge had not reached, this entry could be the old one.
        Assert.Equal("v1-3", await anonymous.GetStringAsync("/api/products/cached/3"));
        var before = _upstream.Requests;
        Assert.Equal("v1-3", await writer.GetStringAsync("/api/products/cached/3"));
        Assert.Equal(before + 1, _upstream.Requests);

        Assert.Equal("v0-4", await writer.GetStringAsync("/api/products/cached/4")); // a key the write did not purge
        Assert.Equal(before + 1, _upstream.Requests);

        await Eventually.HoldsAsync(
            async () =>
            {
                var seen = _upstream.Requests;
                await writer.GetStringAsync("/api/products/cached/3");
                return _upstream.Requests == seen;
            },
            "after the window the writer's reads of it are cached again");
    }

    [SkippableFact]
    public async Task A_write_that_named_no_keys_sends_all_of_the_writers_reads_upstream()
    {
        _upstream.NamesPurgeKeys = false;
        using var anonymous = _gateway.CreateClient();
        using var writer = _gateway.CreateClient(_gateway.Tokens.Admin(NewUserId())); // the gateway lets admins write products
        using var other = _gateway.CreateClient(_gateway.Tokens.Create(NewUserId()));
        using (var put = await writer.PutAsync("/api/products/cached/5", new StringContent("v1-5", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await anonymous.GetStringAsync("/api/products/cached/6");
        var before = _upstream.Requests;
        Assert.Equal("v0-6", await writer.GetStringAsync("/api/products/cached/6"));
        Assert.Equal("v0-6", await other.GetStringAsync("/api/products/cached/6"));
        Assert.Equal(before + 1, _upstream.Requests);
    }

    private static long NewUserId() => Random.Shared.NextInt64(1_000_000, 9_000_000);
}

public sealed class GarnetSignedInEdgeReadsTests() : SignedInEdgeReadsTests(RedisStoreKind.Garnet);

public sealed class RedisServerSignedInEdgeReadsTests() : SignedInEdgeReadsTests(RedisStoreKind.RedisServer);
