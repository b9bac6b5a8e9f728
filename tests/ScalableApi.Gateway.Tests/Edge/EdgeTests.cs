namespace ScalableApi.Gateway.Tests.Edge;

/// <summary>What the gateway does itself before a request reaches a service.</summary>
public sealed class EdgeTests : IAsyncLifetime
{
    private UpstreamServer _catalog = null!;
    private GatewayFactory _gateway = null!;

    public async Task InitializeAsync()
    {
        _catalog = await UpstreamServer.StartAsync("catalog", app =>
        {
            app.MapGet("/api/products/slow", async (CancellationToken aborted) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), aborted);
                return Results.Ok();
            });
            app.MapGet("/api/products/big", () => Results.Json(BigPage()));
            // As the services send it: whole, with Content-Length (Platform's response buffering).
            app.MapGet("/api/products/big-sized", () => Results.Bytes(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(BigPage()), "application/json"));
        });
        _gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = _catalog.Address,
            ["ReverseProxy:Routes:products:Timeout"] = "00:00:01",
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateway, _catalog);

    [Fact]
    public async Task Anonymous_write_is_401_at_the_edge_and_never_reaches_the_service()
    {
        using var client = _gateway.CreateClient();
        var before = _catalog.Requests;

        using var response = await client.PostAsync("/api/products", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, _catalog.Requests);
    }

    [Fact]
    public async Task Signed_in_non_admin_product_write_is_403_at_the_edge()
    {
        using var client = _gateway.CreateClient(_gateway.Tokens.Create(5));
        var before = _catalog.Requests;

        using var response = await client.PostAsync("/api/products", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, _catalog.Requests);
    }

    [Fact]
    public async Task Admin_write_is_forwarded_with_its_token()
    {
        using var client = _gateway.CreateClient(_gateway.Tokens.Admin());

        using var response = await client.PostAsync("/api/products", new StringContent("payload", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("catalog:payload", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Route_timeout_gives_504_problem()
    {
        using var client = _gateway.CreateClient();

        using var response = await client.GetAsync("/api/products/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/products/big")]
    [InlineData("/api/products/big-sized")]
    public async Task Large_json_is_compressed_for_clients_that_accept_it(string path)
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
        await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var json = await System.Text.Json.JsonDocument.ParseAsync(gzip);
        Assert.Equal(2000, json.RootElement.GetArrayLength());
    }

    private static IEnumerable<object> BigPage() => Enumerable.Range(0, 2000).Select(i => new { id = i, name = $"product {i}" });

    [Fact]
    public async Task Request_id_is_propagated_to_the_service_and_echoed()
    {
        using var client = _gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/1");
        request.Headers.Add("X-Request-Id", "edge-test-42");

        using var response = await client.SendAsync(request);

        Assert.Equal("edge-test-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("edge-test-42", _catalog.LastRequestId);
    }

    [Fact]
    public async Task Trace_context_continues_from_client_through_gateway_to_service()
    {
        using var client = _gateway.CreateClient();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/1");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Same trace, new parent span (the gateway's): one trace spans client, gateway and service.
        Assert.StartsWith($"00-{traceId}-", _catalog.LastTraceParent, StringComparison.Ordinal);
        Assert.DoesNotContain("00f067aa0ba902b7", _catalog.LastTraceParent, StringComparison.Ordinal);
    }
}
