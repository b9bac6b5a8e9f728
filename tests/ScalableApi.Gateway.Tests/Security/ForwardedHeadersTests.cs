using ScalableApi.Platform.Observability;

namespace ScalableApi.Gateway.Tests.Security;

/// <summary>
/// Who the client is: the TCP peer, unless that peer is a listed proxy. A spoofed <c>X-Forwarded-For</c> from anyone
/// else changes nothing a client could gain from: its rate-limit bucket, its replica, the address in the log line and
/// the <c>X-Forwarded-For</c> the services receive.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string Peer = "192.0.2.10";
    private readonly string _prefix = "xff-" + Guid.NewGuid().ToString("N");
    private readonly List<UpstreamServer> _upstreams = [];
    private readonly List<GatewayFactory> _gateways = [];
    private TestRedis _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.StartEmbedded();
        for (var i = 0; i < 4; i++)
        {
            _upstreams.Add(await UpstreamServer.StartAsync($"up{i}", app =>
                app.MapGet("/api/users/{id}", (HttpRequest request) => Results.Text(request.Headers["X-Forwarded-For"].ToString()))));
        }
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateways, _upstreams, _redis);

    [Fact]
    public async Task Without_trusted_proxies_a_spoofed_address_gets_no_fresh_rate_limit_bucket()
    {
        var gateway = NewGateway();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await SendAsync(gateway, "/api/products/1", Peer, SpoofedAddress(i));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var rejected = await SendAsync(gateway, "/api/products/1", Peer, SpoofedAddress(99));
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
    }

    [Fact]
    public async Task Without_trusted_proxies_services_receive_the_peer_as_the_forwarded_client()
    {
        var gateway = NewGateway();
        using var response = await SendAsync(gateway, "/api/users/1", Peer, "203.0.113.66");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Peer, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_trusted_proxies_a_spoofed_address_does_not_choose_the_replica()
    {
        var gateway = NewGateway(new()
        {
            ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = "ConsistentHash",
            ["Gateway:RateLimits:AnonymousPerIp"] = "1000",
        });
        var replicas = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            using var response = await SendAsync(gateway, "/api/products/1", Peer, SpoofedAddress(i));
            replicas.Add((await response.Content.ReadAsStringAsync()).Split(':')[0]);
        }

        Assert.Single(replicas);
    }

    [Fact]
    public async Task Without_trusted_proxies_the_log_line_names_the_peer()
    {
        var log = new CapturedLogStream();
        var gateway = NewGateway(services: s => s.AddSingleton(new LogOutput(log)));
        using var response = await SendAsync(gateway, "/api/users/1", Peer, "203.0.113.66");
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));

        var line = await log.RequestLineAsync(requestId);
        Assert.Equal(Peer, line.GetProperty("ClientIp").GetString());
    }

    [Fact]
    public async Task A_listed_proxy_names_the_client_for_limits_and_services()
    {
        var gateway = NewGateway(new() { ["Gateway:TrustedProxies:0"] = "192.0.2.0/24" });
        using (var forwarded = await SendAsync(gateway, "/api/users/1", Peer, "203.0.113.66"))
        {
            Assert.Equal("203.0.113.66", await forwarded.Content.ReadAsStringAsync());
        }

        // Each client behind the proxy has its own bucket.
        for (var i = 0; i < 4; i++)
        {
            using var ok = await SendAsync(gateway, "/api/products/1", Peer, SpoofedAddress(i));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
    }

    private static string SpoofedAddress(int i) => $"198.51.100.{i + 1}";

    private static async Task<HttpResponseMessage> SendAsync(GatewayFactory gateway, string path, string peer, string forwardedFor)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(TestClientIp.Header, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    private GatewayFactory NewGateway(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var gateway = GatewayFactory.OnStore(
            _redis.ConnectionString,
            [
                new("Gateway:RateLimits:AnonymousPerIp", "3"),
                new("ReverseProxy:Clusters:users:Destinations:d0:Address", _upstreams[0].Address),
                .. _upstreams.Select((upstream, i) => KeyValuePair.Create($"ReverseProxy:Clusters:catalog:Destinations:d{i}:Address", (string?)upstream.Address)),
                .. extra ?? [],
            ],
            keyPrefix: _prefix + _gateways.Count,
            services);
        _gateways.Add(gateway);
        return gateway;
    }
}
