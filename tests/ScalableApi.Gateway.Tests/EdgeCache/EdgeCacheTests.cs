namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>Anonymous public reads answered by the gateway, over real HTTP to a real upstream that counts what reaches it.</summary>
public sealed class EdgeCacheTests : IAsyncLifetime
{
    private CacheableUpstream _upstream = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await CacheableUpstream.StartAsync();
        _gateway = EdgeGateways.Create(_upstream.Server.Address);
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _upstream);

    [Fact]
    public async Task Hundred_concurrent_cold_gets_of_one_product_reach_the_upstream_once()
    {
        _upstream.Delay = TimeSpan.FromMilliseconds(300);
        using var client = _gateway.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await client.GetAsync("/api/products/cached/42");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.Equal((HttpStatusCode.OK, "v0-42"), r));
        Assert.Equal(1, _upstream.Requests);
    }

    [Fact]
    public async Task A_hit_is_served_from_the_gateway_with_its_age_and_without_the_surrogate_keys()
    {
        using var client = _gateway.CreateClient();
        using var first = await client.GetAsync("/api/products/cached/1");
        using var second = await client.GetAsync("/api/products/cached/1");

        Assert.Equal(1, _upstream.Requests);
        Assert.Equal("v0-1", await second.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Age.HasValue); // the miss came from upstream just now
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Contains("public", second.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.False(first.Headers.Contains("Surrogate-Key"));
        Assert.False(second.Headers.Contains("Surrogate-Key"));
    }

    [Fact]
    public async Task A_head_is_answered_from_the_entry_a_get_filled()
    {
        using var client = _gateway.CreateClient();
        using var get = await client.GetAsync("/api/products/cached/3");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/products/cached/3"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(4, head.Content.Headers.ContentLength);
        Assert.Equal(1, _upstream.Requests);
    }

    [Fact]
    public async Task If_none_match_is_answered_304_from_the_cache()
    {
        using var client = _gateway.CreateClient();
        using var first = await client.GetAsync("/api/products/cached/7");
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/products/cached/7");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
        Assert.Equal(1, _upstream.Requests);
    }

    [Fact]
    public async Task A_cold_conditional_get_fills_the_cache_and_still_gets_its_304()
    {
        using var client = _gateway.CreateClient();
        var etag = $"\"{"v0-8".GetHashCode(StringComparison.Ordinal):x}\"";
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/products/cached/8");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));

        using var response = await client.SendAsync(conditional);
        using var plain = await client.GetAsync("/api/products/cached/8");

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal("v0-8", await plain.Content.ReadAsStringAsync());
        Assert.Equal(1, _upstream.Requests);
    }

    [Fact]
    public async Task A_put_through_the_gateway_is_seen_by_the_next_read()
    {
        using var client = _gateway.CreateClient();
        using var admin = _gateway.CreateClient(_gateway.Tokens.Admin());
        Assert.Equal("v0-5", await client.GetStringAsync("/api/products/cached/5"));
        Assert.Equal("v0-5", await client.GetStringAsync("/api/products/cached/5"));

        using var put = await admin.PutAsync("/api/products/cached/5", new StringContent("v1-5", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal("v1-5", await client.GetStringAsync("/api/products/cached/5"));
    }

    [Fact]
    public async Task A_miss_in_flight_while_a_put_commits_does_not_leave_the_old_value_cached()
    {
        using var client = _gateway.CreateClient();
        using var admin = _gateway.CreateClient(_gateway.Tokens.Admin());
        await _upstream.MissInFlightWhileAPutCommitsAsync(client, admin, "9");

        Assert.Equal("v1-9", await client.GetStringAsync("/api/products/cached/9"));
    }

    [Theory]
    [InlineData("private, max-age=30")]
    [InlineData("public, no-store")]
    [InlineData("no-cache")]
    [InlineData("public, max-age=0")]
    public async Task Responses_a_shared_cache_must_not_keep_are_not_kept(string cacheControl)
    {
        _upstream.CacheControl = cacheControl;
        using var client = _gateway.CreateClient();

        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(2, _upstream.Requests);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("Cookie")]
    public async Task Requests_with_credentials_always_go_upstream(string header)
    {
        using var client = _gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1"); // cached for anonymous readers
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/cached/1");
            request.Headers.TryAddWithoutValidation(header, header == "Cookie" ? "session=1" : $"Bearer {_gateway.Tokens.Admin()}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, _upstream.Requests);
    }

    [Fact]
    public async Task The_memory_gauge_grows_with_what_is_cached_and_falls_when_it_is_purged()
    {
        using var client = _gateway.CreateClient();
        using var admin = _gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.Tokens.Admin());
        _upstream.BodyPadding = 10_000;
        var empty = await BytesAsync(client);

        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/2");
        var two = await BytesAsync(client);

        Assert.InRange(two - empty, 20_000, 30_000); // the two bodies and their headers
        using var put = await admin.PutAsync("/api/products/cached/1", new StringContent("v1", Encoding.UTF8, "text/plain"));
        await client.GetStringAsync("/api/products/cached/1"); // the purged entry goes when next looked up; its refill is not stored yet
        var one = await BytesAsync(client);
        Assert.InRange(two - one, 10_000, 15_000);

        _upstream.NamesPurgeKeys = false; // a write naming no keys empties the cache
        using var unnamed = await admin.PutAsync("/api/products/cached/3", new StringContent("v1", Encoding.UTF8, "text/plain"));
        Assert.Equal(0, await BytesAsync(client));
    }

    private static async Task<double> BytesAsync(HttpClient client) =>
        PrometheusText.Value(await client.GetStringAsync("/metrics"), "gateway_edge_cache_bytes");

    [Fact]
    public async Task Metrics_count_hits_misses_bypasses_and_purges()
    {
        using var client = _gateway.CreateClient();
        using var admin = _gateway.CreateClient(_gateway.Tokens.Admin());
        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");
        await admin.GetStringAsync("/api/products/cached/1");
        using var put = await admin.PutAsync("/api/products/cached/1", new StringContent("v1", Encoding.UTF8, "text/plain"));

        (await MetricsPage.ScrapeAsync(client)).AssertContains(
            "gateway_edge_cache_requests_total{result=\"hit\",route=\"products\"} 1",
            "gateway_edge_cache_requests_total{result=\"miss\",route=\"products\"} 1",
            "gateway_edge_cache_requests_total{result=\"bypass\",route=\"products\"} 1",
            "gateway_edge_cache_purges_total{source=\"local\"} 1",
            "gateway_edge_cache_bytes");
    }
}
