namespace ScalableApi.Gateway.Tests.Security;

/// <summary>
/// CORS at the gateway from configuration: none unless origins are listed; a listed origin's preflight and actual
/// requests get the headers a browser needs, any other origin none; credentials never with a wildcard.
/// </summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string Listed = "https://app.example.com";
    private const string Other = "https://evil.example.net";
    private readonly List<GatewayFactory> _gateways = [];
    private UpstreamServer _upstream = null!;

    public async Task InitializeAsync() =>
        _upstream = await UpstreamServer.StartAsync("up", app => app.MapGet("/api/users/{id}", () => Results.Ok(new { id = 1 })));

    public Task DisposeAsync() => Disposal.AllAsync(_gateways, _upstream);

    [Fact]
    public async Task Without_listed_origins_no_response_carries_cors_headers()
    {
        var gateway = Gateway();
        using var preflight = await PreflightAsync(gateway, Listed);
        using var actual = await GetAsync(gateway, Listed);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(actual.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
    }

    [Fact]
    public async Task A_listed_origins_preflight_names_the_origin_methods_headers_and_max_age()
    {
        var gateway = Gateway(("Cors:AllowedOrigins:0", Listed), ("Cors:MaxAge", "00:05:00"));
        using var preflight = await PreflightAsync(gateway, Listed);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Listed, Single(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("PUT", Single(preflight, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", Single(preflight, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("300", Single(preflight, "Access-Control-Max-Age"));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Equal(0, _upstream.Requests); // answered at the edge
    }

    [Fact]
    public async Task Configured_methods_and_headers_replace_the_defaults_in_a_preflight()
    {
        var gateway = Gateway(
            ("Cors:AllowedOrigins:0", Listed),
            ("Cors:AllowedMethods:0", "GET"),
            ("Cors:AllowedMethods:1", "PUT"),
            ("Cors:AllowedHeaders:0", "Authorization"),
            ("Cors:AllowedHeaders:1", "Content-Type"));
        using var preflight = await PreflightAsync(gateway, Listed);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        var methods = Single(preflight, "Access-Control-Allow-Methods").Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(["GET", "PUT"], methods.Order(StringComparer.Ordinal));
        var headers = Single(preflight, "Access-Control-Allow-Headers").Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(["authorization", "content-type"], headers.Select(h => h.ToLowerInvariant()).Order(StringComparer.Ordinal));
        Assert.Equal("600", Single(preflight, "Access-Control-Max-Age")); // the default 10 minutes

        // A method left out of the list is not allowed: the browser then sends nothing.
        using var client = gateway.CreateClient();
        using var delete = new HttpRequestMessage(HttpMethod.Options, "/api/users/1");
        delete.Headers.Add("Origin", Listed);
        delete.Headers.Add("Access-Control-Request-Method", "DELETE");
        using var refused = await client.SendAsync(delete);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Methods") && Single(refused, "Access-Control-Allow-Methods").Contains("DELETE", StringComparison.Ordinal));
        Assert.Equal(0, _upstream.Requests);
    }

    [Fact]
    public async Task A_listed_origins_request_gets_its_origin_and_the_exposed_headers()
    {
        var gateway = Gateway(("Cors:AllowedOrigins:0", Listed));
        using var actual = await GetAsync(gateway, Listed);

        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
        Assert.Equal(Listed, Single(actual, "Access-Control-Allow-Origin"));
        Assert.Contains("ETag", Single(actual, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
        Assert.Contains("Origin", actual.Headers.Vary);
    }

    [Fact]
    public async Task Another_origin_gets_no_cors_headers()
    {
        var gateway = Gateway(("Cors:AllowedOrigins:0", Listed));
        using var preflight = await PreflightAsync(gateway, Other);
        using var actual = await GetAsync(gateway, Other);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(actual.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Credentials_are_allowed_for_a_listed_origin_when_configured()
    {
        var gateway = Gateway(("Cors:AllowedOrigins:0", Listed), ("Cors:AllowCredentials", "true"));
        using var actual = await GetAsync(gateway, Listed);
        Assert.Equal("true", Single(actual, "Access-Control-Allow-Credentials"));
        Assert.Equal(Listed, Single(actual, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("*", "true", "Cors:AllowCredentials")]
    [InlineData("https://app.example.com/path", "false", "Cors:AllowedOrigins")]
    [InlineData("app.example.com", "false", "Cors:AllowedOrigins")]
    public void A_bad_cors_configuration_stops_the_gateway_naming_the_key(string origin, string credentials, string key)
    {
        var gateway = Gateway(("Cors:AllowedOrigins:0", origin), ("Cors:AllowCredentials", credentials));
        var error = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());
        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
    }

    private static string Single(HttpResponseMessage response, string header) => string.Join(",", response.Headers.GetValues(header));

    private static async Task<HttpResponseMessage> PreflightAsync(GatewayFactory gateway, string origin)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/users/1");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "PUT");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetAsync(GatewayFactory gateway, string origin)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    private GatewayFactory Gateway(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Gateway:Discovery:Enabled"] = "false",
            ["ReverseProxy:Clusters:users:Destinations:d0:Address"] = _upstream.Address,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var gateway = new GatewayFactory(all);
        _gateways.Add(gateway);
        return gateway;
    }
}
