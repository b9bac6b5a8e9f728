namespace ScalableApi.Gateway.Tests.Security;

/// <summary>
/// A header value outside ASCII (UTF-8 from the client) is passed through to the service as the client sent it,
/// never a 502: HttpClient refuses such values unless told their encoding.
/// </summary>
public sealed class NonAsciiHeaderTests : IAsyncLifetime
{
    private const string Value = "café-ünï-😀";
    private UpstreamServer _upstream = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await UpstreamServer.StartAsync("up", app =>
            app.MapGet("/api/users/{id}", (HttpRequest request) => Results.Text(request.Headers["X-Echo"].ToString())));
        _gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Gateway:Discovery:Enabled"] = "false",
            ["ReverseProxy:Clusters:users:Destinations:d0:Address"] = _upstream.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = _upstream.Address,
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _upstream);

    [Fact]
    public async Task A_non_ascii_value_reaches_the_service_unchanged()
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        request.Headers.TryAddWithoutValidation("X-Echo", Value);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Value, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("X-Request-Id")]
    [InlineData("Authorization")]
    [InlineData("Idempotency-Key")]
    [InlineData("If-None-Match")]
    [InlineData("Accept")]
    [InlineData("User-Agent")]
    [InlineData("Cookie")]
    public async Task A_non_ascii_value_in_any_header_is_never_a_5xx(string header)
    {
        using var client = _gateway.CreateClient();
        foreach (var (method, path) in new[] { ("GET", "/api/products/1"), ("PUT", "/api/products/1"), ("POST", "/api/products") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + Value : Value);
            if (method != "GET")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            Assert.True((int)response.StatusCode < 500, $"{method} {path} with {header}: {(int)response.StatusCode}");
        }
    }
}
