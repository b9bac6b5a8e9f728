namespace ScalableApi.System.Tests;

/// <summary>
/// SPEC §2 "GET /docs": one OpenAPI document of every public route as a client sees it through the gateway, merged
/// from the running services, and the interactive page over it.
/// </summary>
public sealed class ApiReferenceTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Every route of SPEC §2 with the statuses a client can get from it; <c>body</c>: it takes a request body.</summary>
    public static TheoryData<string, string, bool, int[]> SpecRoutes() => new()
    {
        { "post", "/api/auth/register", true, [201, 400, 409, 429] },
        { "post", "/api/auth/login", true, [200, 400, 401, 429] },
        { "post", "/api/auth/refresh", true, [200, 400, 401] },
        { "get", "/api/profile", false, [200, 401] },
        { "get", "/api/users/{id}", false, [200, 404] },
        { "patch", "/api/users/{id}", true, [200, 400, 401, 403, 404] },
        { "delete", "/api/users/{id}", false, [204, 401, 403, 404] },
        { "get", "/api/users", false, [200, 400, 401, 403] },
        { "get", "/.well-known/jwks.json", false, [200] },
        { "get", "/api/products", false, [200, 400] },
        { "get", "/api/products/{id}", false, [200, 404] },
        { "post", "/api/products", true, [201, 400, 401, 403] },
        { "put", "/api/products/{id}", true, [200, 400, 401, 403, 404, 412] },
        { "delete", "/api/products/{id}", false, [204, 401, 403, 404, 412] },
        { "get", "/api/products/export", false, [200] },
        { "post", "/api/products/import", true, [202, 400, 401, 403, 413, 415] },
        { "get", "/api/jobs/{id}", false, [200, 401, 403, 404] },
        { "get", "/api/jobs", false, [200, 400, 401, 403] },
        { "post", "/api/jobs/{id}/retry", false, [202, 401, 403, 404, 409] },
        { "post", "/api/posts", true, [201, 400, 401] },
        { "get", "/api/posts/{id}", false, [200, 404] },
        { "delete", "/api/posts/{id}", false, [204, 401, 403, 404] },
        { "post", "/api/posts/{postId}/comments", true, [201, 400, 401, 404] },
        { "get", "/api/posts/{postId}/comments", false, [200, 400, 404] },
        { "get", "/api/users/{userId}/posts", false, [200, 400] },
        { "get", "/api/users/{userId}/comments", false, [200, 400] },
        { "get", "/api/comments/{id}", false, [200, 404] },
        { "get", "/api/users/{id}/overview", false, [200, 404, 503] },
    };

    [Theory]
    [MemberData(nameof(SpecRoutes))]
    public async Task The_merged_document_describes_every_SPEC_route_as_seen_through_the_gateway(string method, string path, bool body, int[] statuses)
    {
        var document = await DocumentAsync();
        var pathItem = document.GetProperty("paths").TryGetProperty(path, out var item) ? item : throw new Xunit.Sdk.XunitException($"{path} is missing from the gateway's document");
        Assert.True(pathItem.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is missing");

        Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{method} {path} has no summary");
        foreach (var name in PathParameters(path))
        {
            Assert.True(Parameters(pathItem, operation).Any(p => p.GetProperty("name").GetString() == name && p.GetProperty("in").GetString() == "path"),
                $"{method} {path}: path parameter {name} is not described");
        }

        Assert.Equal(body, operation.TryGetProperty("requestBody", out var requestBody) && requestBody.GetProperty("content").EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _)));
        var responses = operation.GetProperty("responses");
        foreach (var status in statuses)
        {
            Assert.True(responses.TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response), $"{method} {path}: status {status} is not described");
            if (status >= 400)
            {
                Assert.True(response.TryGetProperty("content", out var content) && content.TryGetProperty(ProblemJson, out var problem) && problem.TryGetProperty("schema", out _),
                    $"{method} {path}: {status} is not problem+json: {response}");
            }
            else if (status is 200 or 201 or 202)
            {
                Assert.True(response.TryGetProperty("content", out var content) && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _)),
                    $"{method} {path}: {status} has no response schema: {response}");
            }
        }
    }

    [Fact]
    public async Task The_document_holds_only_what_the_gateway_routes_and_every_reference_resolves()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("/health/ready", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/internal", StringComparison.Ordinal));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var text = document.GetRawText();
        foreach (Match reference in Regex.Matches(text, "\"\\$ref\":\"#/components/schemas/([^\"]+)\""))
        {
            Assert.True(schemas.TryGetProperty(reference.Groups[1].Value, out _), $"unresolved reference {reference.Value}");
        }
    }

    [Fact]
    public async Task The_docs_page_is_Scalar_over_the_merged_document_with_a_CSP_for_its_own_scripts()
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true }) { BaseAddress = Topology.GatewayAddress };

        using var page = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("openapi/gateway.json", StringComparison.Ordinal), html);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'sha256-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        using var script = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task The_API_itself_keeps_the_platform_CSP()
    {
        using var response = await Topology.GatewayClient.GetAsync("/api/products");
        Assert.Contains("default-src 'none'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await Topology.GatewayClient.GetAsync("/openapi/gateway.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static IEnumerable<string> PathParameters(string path) => Regex.Matches(path, "\\{([^}]+)\\}").Select(m => m.Groups[1].Value);

    private static IEnumerable<JsonElement> Parameters(JsonElement pathItem, JsonElement operation) =>
        new[] { pathItem, operation }.SelectMany(e => e.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : Enumerable.Empty<JsonElement>());
}
