using Microsoft.Extensions.Configuration;

namespace ScalableApi.Gateway.Tests.Resilience;

/// <summary>A replica that refuses connections costs an idempotent request nothing: it is retried elsewhere.</summary>
public sealed class RetryOnAnotherDestinationTests : IAsyncLifetime
{
    private UpstreamServer _live = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _live = await UpstreamServer.StartAsync("live");
        // Round robin guarantees half of the first attempts go to the dead destination.
        _gateway = GatewayFactory.WithCatalog("RoundRobin", _live.Address, UpstreamServer.DeadAddress());
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _live);

    [Fact]
    public async Task Gets_all_succeed_when_one_destination_refuses_connections()
    {
        using var client = _gateway.CreateClient();

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"live:{i}", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Put_is_retried_with_its_body()
    {
        using var client = AdminClient();

        for (var i = 0; i < 6; i++)
        {
            using var content = new StringContent($"body-{i}", Encoding.UTF8, "text/plain");
            using var response = await client.PutAsync($"/api/products/{i}", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"live:body-{i}", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Post_with_idempotency_key_is_retried_and_without_it_is_not()
    {
        using var client = AdminClient();
        var withKey = new List<HttpStatusCode>();
        var withoutKey = new List<HttpStatusCode>();

        for (var i = 0; i < 6; i++)
        {
            using var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/products") { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
            keyed.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var keyedResponse = await client.SendAsync(keyed);
            withKey.Add(keyedResponse.StatusCode);

            using var plain = new StringContent("x", Encoding.UTF8, "text/plain");
            using var plainResponse = await client.PostAsync("/api/products", plain);
            withoutKey.Add(plainResponse.StatusCode);
        }

        Assert.All(withKey, s => Assert.Equal(HttpStatusCode.OK, s));
        // A plain POST is never sent twice: the ones balanced to the dead replica fail with 502.
        Assert.Contains(HttpStatusCode.BadGateway, withoutKey);
    }

    // Product writes need an admin at the edge before they are proxied at all.
    private HttpClient AdminClient() => _gateway.CreateClient(_gateway.Tokens.Admin());
}

/// <summary>A replica at its concurrency limit answers 503 + X-Overloaded: idempotent requests go to another one.</summary>
public sealed class RetryOverloadedDestinationTests : IAsyncLifetime
{
    private UpstreamServer _live = null!;
    private UpstreamServer _overloaded = null!;

    public async Task InitializeAsync()
    {
        _live = await UpstreamServer.StartAsync("live");
        _overloaded = await UpstreamServer.StartAsync("overloaded", app => app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                // What the platform's concurrency limiter sends.
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "1";
                context.Response.Headers[ScalableApi.Platform.Hosting.OverloadProtection.MarkerHeader] = "1";
                context.Response.ContentType = "application/problem+json";
                await context.Response.WriteAsync("""{"status":503,"title":"overloaded-body"}""");
                return;
            }

            await next(context);
        }));
    }

    public Task DisposeAsync() => Disposal.AllAsync(_live, _overloaded);

    [Fact]
    public async Task Gets_are_retried_on_another_replica_and_post_without_key_is_not()
    {
        await using var gateway = GatewayFactory.WithCatalog("RoundRobin", _live.Address, _overloaded.Address);
        using var client = gateway.CreateClient(gateway.Tokens.Admin());

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"live:{i}", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains(ScalableApi.Platform.Hosting.OverloadProtection.MarkerHeader));
        }

        Assert.True(_overloaded.Requests > 0);

        var plain = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 4; i++)
        {
            using var content = new StringContent("x", Encoding.UTF8, "text/plain");
            using var response = await client.PostAsync("/api/products", content);
            plain.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        // Not retried: the overloaded replica's 503 reaches the client with its body intact.
        Assert.Contains(plain, p => p.Status == HttpStatusCode.ServiceUnavailable && p.Body.Contains("overloaded-body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_single_overloaded_replica_the_client_gets_its_503_as_sent()
    {
        await using var gateway = GatewayFactory.WithCatalog("RoundRobin", _overloaded.Address);
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync("/api/products/1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("overloaded-body", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

/// <summary>
/// A replica that takes a request and then says nothing (hung, or dead without a reset) until the cluster's
/// <c>HttpRequest:ActivityTimeout</c>: the first attempt may have committed, so only a request whose repeat is safe
/// goes to another replica. A POST with <c>Idempotency-Key</c> is (the services run it once per caller and key); a
/// POST without one is not, and its client gets the 504.
/// </summary>
public sealed class RetryAfterTimeoutTests : IAsyncLifetime
{
    private UpstreamServer _hung = null!;
    private UpstreamServer _live = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _hung = await UpstreamServer.StartAsync("hung", app => app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await next(context);
        }));
        _live = await UpstreamServer.StartAsync("live");
        // FirstAlphabetical: every first attempt goes to d0, the hung one; passive health off, so it stays there.
        _gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = "FirstAlphabetical",
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = _hung.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = _live.Address,
            ["ReverseProxy:Clusters:catalog:HealthCheck:Passive:Enabled"] = "false",
            ["ReverseProxy:Clusters:catalog:HttpRequest:ActivityTimeout"] = "00:00:01",
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _hung, _live);

    [Fact]
    public async Task A_keyed_post_is_retried_on_another_replica_and_an_unkeyed_one_gets_504()
    {
        using var client = _gateway.CreateClient(_gateway.Tokens.Admin());

        using var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/products") { Content = new StringContent("keyed", Encoding.UTF8, "text/plain") };
        keyed.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var keyedResponse = await client.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, keyedResponse.StatusCode);
        Assert.Equal("live:keyed", await keyedResponse.Content.ReadAsStringAsync());
        Assert.Equal(1, _hung.Requests);

        using var plain = await client.PostAsync("/api/products", new StringContent("plain", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, _hung.Requests);
        Assert.Equal(1, _live.Requests); // the unkeyed POST was sent once, to the hung replica only
    }

    [Fact]
    public async Task With_the_shipped_settings_a_silent_replica_times_out_before_the_route_so_the_retry_has_time()
    {
        // The route's Timeout cancels the whole request: were it to come first (both were 30 s), no retry could run.
        await using var shipped = new GatewayFactory(new Dictionary<string, string?>());
        var configuration = shipped.Services.GetRequiredService<IConfiguration>();
        var routes = configuration.GetSection("ReverseProxy:Routes").GetChildren().ToList();
        foreach (var cluster in new[] { "catalog", "content", "users" })
        {
            var activity = configuration.GetValue<TimeSpan>($"ReverseProxy:Clusters:{cluster}:HttpRequest:ActivityTimeout");
            Assert.True(activity > TimeSpan.Zero, $"{cluster} sets an activity timeout");
            var timed = routes.Where(r => r["ClusterId"] == cluster && r["Timeout"] is not null).ToList();
            Assert.NotEmpty(timed);
            foreach (var route in timed)
            {
                var timeout = route.GetValue<TimeSpan>("Timeout");
                Assert.True(activity * 2 <= timeout, $"{cluster}: route {route.Key} ({timeout}) leaves room for a retry after {activity}");
            }
        }
    }
}
