using Microsoft.Extensions.Time.Testing;

namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>How long and how much the edge keeps: freshness, stale-if-error, the size bound, per-route switches.</summary>
public sealed class EdgeCacheBoundsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private CacheableUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await CacheableUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task An_expired_entry_stands_in_for_a_failing_upstream_within_the_stale_bound_only()
    {
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, new Dictionary<string, string?> { ["Gateway:EdgeCache:StaleIfError"] = "00:01:00" }, OnFakeTime);
        using var client = gateway.CreateClient();
        Assert.Equal("v0-1", await client.GetStringAsync("/api/products/cached/1"));

        _time.Advance(TimeSpan.FromSeconds(31)); // past max-age=30
        _upstream.Failing = true;
        using var stale = await client.GetAsync("/api/products/cached/1");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("v0-1", await stale.Content.ReadAsStringAsync());
        Assert.Equal(31, (int)stale.Headers.Age!.Value.TotalSeconds);

        _time.Advance(TimeSpan.FromSeconds(60)); // past max-age + StaleIfError
        using var failed = await client.GetAsync("/api/products/cached/1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
    }

    [Fact]
    public async Task An_expired_entry_is_fetched_again_when_the_upstream_is_up()
    {
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, services: OnFakeTime);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");
        Assert.Equal(1, _upstream.Requests);

        _time.Advance(TimeSpan.FromSeconds(31));
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(2, _upstream.Requests);
    }

    [Fact]
    public async Task Max_ttl_caps_the_services_max_age()
    {
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, new Dictionary<string, string?> { ["Gateway:EdgeCache:MaxTtl"] = "00:00:02" }, OnFakeTime);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1");

        _time.Advance(TimeSpan.FromSeconds(3));
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(2, _upstream.Requests);
    }

    [Fact]
    public async Task Surrogate_control_keeps_an_entry_past_the_clients_max_age_and_never_reaches_the_client()
    {
        _upstream.SurrogateControl = "max-age=300";
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, services: OnFakeTime);
        using var client = gateway.CreateClient();
        using (var first = await client.GetAsync("/api/products/cached/1"))
        {
            Assert.Equal("public, max-age=30, stale-while-revalidate=60", first.Headers.CacheControl?.ToString());
            Assert.False(first.Headers.Contains("Surrogate-Control"));
        }

        _time.Advance(TimeSpan.FromSeconds(299)); // far past max-age=30, within the edge's 300 s
        using (var hit = await client.GetAsync("/api/products/cached/1"))
        {
            Assert.Equal(1, _upstream.Requests);
            Assert.Equal(299, (int)hit.Headers.Age!.Value.TotalSeconds);
            Assert.Equal("public, max-age=30, stale-while-revalidate=60", hit.Headers.CacheControl?.ToString());
            Assert.False(hit.Headers.Contains("Surrogate-Control"));
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        await client.GetStringAsync("/api/products/cached/1");
        Assert.Equal(2, _upstream.Requests);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("max-age=0")]
    public async Task Surrogate_control_can_keep_a_public_response_out_of_the_edge(string surrogateControl)
    {
        _upstream.SurrogateControl = surrogateControl;
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(2, _upstream.Requests);
    }

    [Fact]
    public async Task Max_ttl_caps_surrogate_control_too()
    {
        _upstream.SurrogateControl = "max-age=300";
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, new Dictionary<string, string?> { ["Gateway:EdgeCache:MaxTtl"] = "00:01:00" }, OnFakeTime);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1");

        _time.Advance(TimeSpan.FromSeconds(61));
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(2, _upstream.Requests);
    }

    [Fact]
    public async Task Reads_just_after_a_write_are_not_stored_because_other_replicas_may_not_have_heard_of_it_yet()
    {
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, services: OnFakeTime);
        using var client = gateway.CreateClient();
        using var admin = gateway.CreateClient(gateway.Tokens.Admin());
        using var put = await admin.PutAsync("/api/products/cached/1", new StringContent("v1", Encoding.UTF8, "text/plain"));

        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");
        Assert.Equal(3, _upstream.Requests); // the PUT and two reads within NoFillAfterPurge (500 ms)

        _time.Advance(TimeSpan.FromMilliseconds(500));
        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");
        Assert.Equal(4, _upstream.Requests);
    }

    [Fact]
    public async Task Memory_stays_within_the_size_limit_and_the_least_recently_read_entry_goes_first()
    {
        // Each entry is about 1.8 KB: five fit in 10 KB, a sixth needs room made.
        _upstream.BodyPadding = 1200;
        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, new Dictionary<string, string?> { ["Gateway:EdgeCache:SizeLimitBytes"] = "10240" });
        using var client = gateway.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.GetStringAsync($"/api/products/cached/{i}");
        }

        await client.GetStringAsync("/api/products/cached/0"); // read again: 1 is now the least recently read
        Assert.Equal(5, _upstream.Requests);

        // Over the limit the new entry is refused and compaction runs in the background; then it is kept.
        await Eventually.HoldsAsync(
            async () =>
            {
                await client.GetStringAsync("/api/products/cached/5");
                var before = _upstream.Requests;
                await client.GetStringAsync("/api/products/cached/5");
                return _upstream.Requests == before;
            },
            "the sixth entry is kept once room is made");

        var afterSixth = _upstream.Requests;
        await client.GetStringAsync("/api/products/cached/0");
        Assert.Equal(afterSixth, _upstream.Requests);
        await client.GetStringAsync("/api/products/cached/1");
        Assert.Equal(afterSixth + 1, _upstream.Requests);
        Assert.InRange(await MetricsPage.ValueAsync(client, "gateway_edge_cache_bytes"), 1, 10240);
    }

    [Fact]
    public async Task A_route_left_out_of_the_list_is_not_cached()
    {
        var routes = new Dictionary<string, string?>();
        for (var i = 0; i < 5; i++)
        {
            routes[$"Gateway:EdgeCache:Routes:{i}"] = "user"; // the defaults' slots, products among them, replaced
        }

        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, routes);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(2, _upstream.Requests);
    }

    [Fact]
    public async Task A_path_prefix_in_the_list_turns_the_cache_on_for_it()
    {
        var routes = new Dictionary<string, string?>();
        for (var i = 0; i < 5; i++)
        {
            routes[$"Gateway:EdgeCache:Routes:{i}"] = "/api/products/cached";
        }

        await using var gateway = EdgeGateways.Create(_upstream.Server.Address, routes);
        using var client = gateway.CreateClient();
        await client.GetStringAsync("/api/products/cached/1");
        await client.GetStringAsync("/api/products/cached/1");

        Assert.Equal(1, _upstream.Requests);
    }

    private Action<IServiceCollection> OnFakeTime => EdgeGateways.Clock(_time);
}
