namespace ScalableApi.Gateway.Tests.RateLimiting;

/// <summary>When the store goes away (embedded Garnet, or a redis-server process) the limiter fails open (default) or closed, and counts it.</summary>
public abstract class RateLimitStoreDownTests(RedisStoreKind storeKind) : IAsyncLifetime
{
    private UpstreamServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await UpstreamServer.StartAsync("up");

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [SkippableFact]
    public async Task Store_down_fails_open_by_default_and_counts_the_errors()
    {
        using var redis = TestRedis.StartStoppable(storeKind);
        await using var gateway = Gateway(redis, failOpen: null);
        using var client = RateLimitTests.Client(gateway);
        using (var before = await client.GetAsync("/api/products/1"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal("100", RateLimitTests.Header(before, "RateLimit-Limit"));
        }

        // /metrics answers loopback clients only (Platform:Metrics:AllowedNetworks).
        using var scraper = RateLimitTests.Client(gateway, ip: "127.0.0.1");
        var errorsBefore = await StoreErrorsAsync(scraper);
        redis.Stop();

        // A client the gateway holds no lease for must ask the store (one that does may use what its lease counted).
        using var newcomer = RateLimitTests.Client(gateway);
        for (var i = 0; i < 5; i++)
        {
            using var response = await newcomer.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(await StoreErrorsAsync(scraper) >= errorsBefore + 5);
    }

    [SkippableFact]
    public async Task Store_down_with_fail_open_off_answers_503_problem()
    {
        using var redis = TestRedis.StartStoppable(storeKind);
        await using var gateway = Gateway(redis, failOpen: false);
        using var client = RateLimitTests.Client(gateway);
        using (var before = await client.GetAsync("/api/products/1"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        redis.Stop();

        // Requests already counted in the store by this client's lease are still allowed: they are within the limit.
        using (var leased = await client.GetAsync("/api/products/2"))
        {
            Assert.Equal(HttpStatusCode.OK, leased.StatusCode);
        }

        // A client without a lease cannot be counted: closed.
        using var newcomer = RateLimitTests.Client(gateway);
        using var response = await newcomer.GetAsync("/api/products/2");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private GatewayFactory Gateway(TestRedis redis, bool? failOpen)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:AnonymousPerIp"] = "100",
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = _upstream.Address,
        };
        if (failOpen is { } value)
        {
            settings["Gateway:RateLimits:FailOpen"] = value ? "true" : "false";
        }

        return GatewayFactory.OnStore(redis.ConnectionString, settings);
    }

    private static Task<double> StoreErrorsAsync(HttpClient scraper) =>
        MetricsPage.ValueAsync(scraper, "gateway_ratelimit_store_errors_total");
}

public sealed class GarnetRateLimitStoreDownTests() : RateLimitStoreDownTests(RedisStoreKind.Garnet);

public sealed class RedisServerRateLimitStoreDownTests() : RateLimitStoreDownTests(RedisStoreKind.RedisServer);
