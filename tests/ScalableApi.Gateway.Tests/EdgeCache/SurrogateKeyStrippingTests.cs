namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>
/// Surrogate keys are between the services and the gateways (issue #13.2): a client never sees <c>Surrogate-Key</c>
/// or <c>Surrogate-Key-Purge</c>, whether its read was cached, passed by the cache (a cookie), or the cache is off.
/// </summary>
public sealed class SurrogateKeyStrippingTests : IAsyncLifetime
{
    private CacheableUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await CacheableUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_response_carries_the_services_surrogate_key_headers(bool edgeCacheEnabled)
    {
        await using var gateway = EdgeGateways.Create(
            _upstream.Server.Address,
            new Dictionary<string, string?> { ["Gateway:EdgeCache:Enabled"] = edgeCacheEnabled ? "true" : "false" });
        using var client = gateway.CreateClient();
        using var admin = gateway.CreateClient(gateway.Tokens.Admin());

        using var anonymous = await client.GetAsync("/api/products/cached/1");
        using var personal = new HttpRequestMessage(HttpMethod.Get, "/api/products/cached/1");
        personal.Headers.Add("Cookie", "session=1"); // a personal read: never answered from, nor stored in, the cache
        using var bypassed = await client.SendAsync(personal);
        using var list = await client.GetAsync("/api/products/cached");
        using var put = await admin.PutAsync("/api/products/cached/1", new StringContent("v1"));
        using var delete = await admin.DeleteAsync("/api/products/cached/2");

        foreach (var response in new[] { anonymous, bypassed, list, put, delete })
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode}");
            Assert.False(response.Headers.Contains("Surrogate-Key"), $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} leaked Surrogate-Key");
            Assert.False(response.Headers.Contains("Surrogate-Key-Purge"), $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} leaked Surrogate-Key-Purge");
        }
    }
}
