namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API4:2023 Unrestricted Resource Consumption: through the gateway, every JSON
/// write refuses a body over 1 MiB (413) and JSON nested past the serializer's depth (400), every paged route refuses
/// a page over 100 (400), and an oversized header block is refused (431) — each before any work, never 5xx.
/// The import route has its own limits, asserted here through the gateway too: a body above 1 MiB passes, one over
/// 64 MiB is 413, a line over 64 KiB is 400 (the catalog's side in detail: <c>ImportTests</c>).
/// Covered elsewhere: rate limits per IP, per user, failed logins and registrations (<c>ScalableApi.Gateway.Tests/RateLimiting</c>);
/// the per-replica concurrency limit with 503 + <c>Retry-After</c> (<c>OverloadTests</c>, platform); the pool's 503
/// (<c>Replicas</c> suites); export streaming in constant memory (<c>ProductsExportMemoryTests</c>, catalog).
/// </summary>
public sealed class Api4UnrestrictedResourceConsumptionTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task A_body_over_one_mebibyte_is_413_on_every_json_write()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var big = "{\"name\":\"" + new string('x', (1024 * 1024) + 16) + "\"}";
        foreach (var (method, template) in OwaspRoutes.JsonWrites)
        {
            using var response = await SendJsonAsync(method, objects.Fill(template), big, TokenFor(objects, template));
            await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        }
    }

    [Fact]
    public async Task A_large_body_sent_without_waiting_still_reads_as_413_on_every_json_write()
    {
        // Most clients send the whole body at once; the gateway reads and discards it so the 413 is not lost in a reset.
        var objects = await OwaspObjects.CreateAsync(Client);
        var big = "{\"name\":\"" + new string('x', 4 * 1024 * 1024) + "\"}";
        foreach (var (method, template) in OwaspRoutes.JsonWrites)
        {
            using var response = await SendJsonAsync(method, objects.Fill(template), big, TokenFor(objects, template), expectContinue: false);
            await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        }
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_serializer_allows_is_400_on_every_json_write()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var deep = "{\"name\":" + string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)) + "}";
        foreach (var (method, template) in OwaspRoutes.JsonWrites)
        {
            using var response = await SendJsonAsync(method, objects.Fill(template), deep, TokenFor(objects, template));
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task The_import_route_takes_bodies_above_one_mebibyte_and_refuses_one_over_64_MiB_with_413()
    {
        var objects = await OwaspObjects.CreateAsync(Client);

        // 24 lines of about 64 KB (unknown fields are ignored): 1.5 MiB, above every JSON route's limit, few products.
        var marker = "big-import-" + Guid.NewGuid().ToString("N")[..8];
        var padding = new string('p', 64_000);
        var lines = string.Concat(Enumerable.Range(1, 24).Select(i => $$"""{"name":"{{marker}} {{i}}","price":1.5,"stock":1,"padding":"{{padding}}"}""" + "\n"));
        using var accepted = await ImportAsync(lines, objects.Admin.AccessToken);
        await accepted.ExpectAsync(HttpStatusCode.Accepted);

        // Sent as curl would (Expect: 100-continue), so the 413 comes before 64 MiB cross the loopback.
        var huge = new string('x', (64 * 1024 * 1024) + 1024);
        using var tooLarge = await ImportAsync(huge, objects.Admin.AccessToken);
        await tooLarge.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_import_line_over_64_KiB_is_400_naming_the_line()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var good = """{"name":"short line","price":1,"stock":1}""";
        var bad = $$"""{"name":"long line","price":1,"stock":1,"padding":"{{new string('p', 70 * 1024)}}"}""";

        using var response = await ImportAsync(good + "\n" + bad + "\n", objects.Admin.AccessToken);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("line 2 is longer than", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=101")]
    [InlineData("limit=1000000")]
    [InlineData("limit=-1")]
    public async Task A_page_over_100_is_400_on_every_paged_route(string query)
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        foreach (var template in OwaspRoutes.Paged)
        {
            var token = template is "/api/users" or "/api/jobs" ? objects.Admin.AccessToken : null;
            using var response = await Client.SendAsync(HttpMethod.Get, objects.Fill(template) + "?" + query, token);
            await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("limit", out _), $"{template}?{query}: no error for limit");
        }
    }

    [Fact]
    public async Task An_oversized_header_block_is_refused_with_431_and_the_gateway_keeps_serving()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
        request.Headers.Add("X-Padding", new string('a', 64 * 1024));
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);

        using var next = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/products?limit=1"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private static string? TokenFor(OwaspObjects objects, string template) => template switch
    {
        "/api/products" or "/api/products/{product}" => objects.Admin.AccessToken,
        _ when template.StartsWith("/api/auth", StringComparison.Ordinal) => null,
        _ => objects.Owner.AccessToken,
    };

    private Task<HttpResponseMessage> ImportAsync(string ndjson, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/products/import") { Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendJsonAsync(string method, string path, string json, string? token, bool expectContinue = true)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        // As curl does for large bodies: the 413 can come before the body is sent.
        request.Headers.ExpectContinue = expectContinue;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }
}
