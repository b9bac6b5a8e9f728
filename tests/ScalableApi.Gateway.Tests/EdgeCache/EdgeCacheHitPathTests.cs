namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>
/// Hits are answered before authentication and compression (#13.4): what a client sees of a hit stays what the whole
/// pipeline gave it, the rate limit counts every request once, hit or miss, and a client asking for compression gets it.
/// </summary>
public sealed class EdgeCacheHitPathTests : IAsyncLifetime
{
    private const int Limit = 3;
    private CacheableUpstream _upstream = null!;
    private TestRedis _redis = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await CacheableUpstream.StartAsync();
        _redis = TestRedis.StartEmbedded();
        _gateway = GatewayFactory.OnStore(_redis.ConnectionString,
        [
            new("ReverseProxy:Clusters:catalog:Destinations:d0:Address", _upstream.Server.Address),
            new("Gateway:RateLimits:AnonymousPerIp", Limit.ToString(CultureInfo.InvariantCulture)),
        ]);
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _upstream, _redis);

    [Fact]
    public async Task Hits_count_against_the_anonymous_limit_once_each_and_the_miss_once()
    {
        using var client = _gateway.CreateClient();
        var remaining = new List<string>();
        for (var i = 0; i < Limit; i++)
        {
            using var ok = await client.GetAsync("/api/products/cached/7");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(string.Join(",", ok.Headers.GetValues("RateLimit-Remaining")));
        }

        using var rejected = await client.GetAsync("/api/products/cached/7");

        Assert.Equal(1, _upstream.Requests); // one miss, then hits
        Assert.Equal(["2", "1", "0"], remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_hit_carries_the_request_id_and_security_headers_of_every_response()
    {
        using var client = _gateway.CreateClient();
        using var miss = await client.GetAsync("/api/products/cached/8");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/cached/8");
        request.Headers.Add("X-Request-Id", "hit-path-test-1");
        using var hit = await client.SendAsync(request);

        Assert.Equal(1, _upstream.Requests);
        Assert.NotNull(hit.Headers.Age);
        Assert.Equal("hit-path-test-1", Assert.Single(hit.Headers.GetValues("X-Request-Id")));
        foreach (var name in (string[])["X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"])
        {
            Assert.Equal(miss.Headers.GetValues(name), hit.Headers.GetValues(name));
        }

        // Every other header, name and value, is the miss's: only the transfer's own differ.
        string[] perTransfer = ["Age", "Date", "X-Request-Id", "RateLimit-Remaining", "RateLimit-Reset"];
        Assert.Equal(Headers(miss, perTransfer), Headers(hit, perTransfer));
    }

    private static List<string> Headers(HttpResponseMessage response, string[] except) =>
    [
        .. response.Headers.Concat(response.Content.Headers)
            .Where(h => !except.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public async Task A_client_asking_for_compression_gets_its_hit_compressed()
    {
        _upstream.BodyPadding = 2000;
        using var client = _gateway.CreateClient();
        using var plain = await client.GetAsync("/api/products/cached/9");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/cached/9");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var compressed = await client.SendAsync(request);

        Assert.Equal(1, _upstream.Requests);
        Assert.NotNull(compressed.Headers.Age);
        Assert.Equal("gzip", Assert.Single(compressed.Content.Headers.ContentEncoding));
        await using var gzip = new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await reader.ReadToEndAsync());
    }
}
