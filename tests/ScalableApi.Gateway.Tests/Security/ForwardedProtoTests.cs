using System.Net;

namespace ScalableApi.Gateway.Tests.Security;

/// <summary>
/// <c>X-Forwarded-Proto</c> is believed only from a listed proxy (<c>Gateway:TrustedProxies</c>): behind a TLS-terminating
/// proxy the gateway answers as HTTPS (HSTS included), while anyone else claiming "https" over plain HTTP gets no HSTS.
/// </summary>
public sealed class ForwardedProtoTests : IAsyncLifetime
{
    private const string Proxy = "192.0.2.10";
    private const string Host = "api.example.test";
    private readonly List<GatewayFactory> _gateways = [];
    private TestRedis _redis = null!;

    public Task InitializeAsync()
    {
        _redis = TestRedis.StartEmbedded();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateways, _redis);

    [Fact]
    public async Task From_a_listed_proxy_forwarded_https_is_answered_with_hsts()
    {
        var gateway = NewGateway(trustedProxy: "192.0.2.0/24");
        using var response = await SendAsync(gateway, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_anyone_else_forwarded_https_changes_nothing()
    {
        var untrusted = NewGateway(trustedProxy: null);
        var otherNetwork = NewGateway(trustedProxy: "198.51.100.0/24");

        using var fromAnyone = await SendAsync(untrusted, forwardedProto: "https");
        using var fromOutside = await SendAsync(otherNetwork, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, fromAnyone.StatusCode);
        Assert.False(fromAnyone.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, fromOutside.StatusCode);
        Assert.False(fromOutside.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayFactory gateway, string forwardedProto)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = Host;
        request.Headers.Add(TestClientIp.Header, Proxy);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return await client.SendAsync(request);
    }

    private GatewayFactory NewGateway(string? trustedProxy)
    {
        var gateway = GatewayFactory.OnStore(_redis.ConnectionString, trustedProxy is null ? [] : [new("Gateway:TrustedProxies:0", trustedProxy)]);
        _gateways.Add(gateway);
        return gateway;
    }
}
