namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>
/// A client that leaves in the middle of a write (a timeout of its own, a closed tab, the end of a benchmark run)
/// neither cancels the write upstream nor empties the edge cache: the write answers the gateway with the keys it
/// changed, and only those go. Cancelled upstream, it could commit without its answer, and the gateway would have to
/// purge everything, as it did for every such client.
/// </summary>
public sealed class EdgeCacheClientGoneTests : IAsyncLifetime
{
    private CacheableUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await CacheableUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task A_client_leaving_mid_write_leaves_the_write_to_finish_and_only_its_keys_are_purged()
    {
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address);
        using var client = gateway.CreateClient();
        using var admin = gateway.CreateClient(gateway.Tokens.Admin());
        await client.GetStringAsync("/api/products/cached/42");
        await client.GetStringAsync("/api/products/cached/43");
        _upstream.WriteDelay = TimeSpan.FromMilliseconds(500);

        using var leaving = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => admin.PutAsync("/api/products/cached/42", new StringContent("v1-42", Encoding.UTF8, "text/plain"), leaving.Token));

        await Eventually.HoldsAsync(async () => await client.GetStringAsync("/api/products/cached/42") == "v1-42", "product 42 purged once the write answered");
        var requests = _upstream.Requests;
        Assert.Equal("v0-43", await client.GetStringAsync("/api/products/cached/43"));
        Assert.Equal(requests, _upstream.Requests); // product 43 still a hit: the cache was not emptied
        Assert.Equal(0, await MetricsPage.ValueAsync(client, "gateway_edge_cache_flushes_total{source=\"local\"}"));
    }

    [Fact]
    public async Task A_write_naming_no_keys_is_counted_as_a_flush()
    {
        _upstream.NamesPurgeKeys = false;
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address);
        using var client = gateway.CreateClient();
        using var admin = gateway.CreateClient(gateway.Tokens.Admin());
        await client.GetStringAsync("/api/products/cached/43");

        using var put = await admin.PutAsync("/api/products/cached/42", new StringContent("v1-42", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(1, await MetricsPage.ValueAsync(client, "gateway_edge_cache_flushes_total{source=\"local\"}"));
    }
}
