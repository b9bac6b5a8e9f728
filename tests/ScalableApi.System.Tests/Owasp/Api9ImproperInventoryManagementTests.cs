namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API9:2023 Improper Inventory Management: the inventory is
/// <c>/openapi/gateway.json</c>, and it lists exactly the routes the gateway serves: every SPEC route and nothing
/// else (no service-internal, health or old-version path), every listed operation is answered by something other
/// than the gateway's 404 for an unknown route, and paths a service has but the gateway does not route (the
/// services' own <c>/openapi/v1.json</c>, their <c>/internal</c> routes, a <c>/v1</c> or <c>/v2</c> prefix) are that
/// 404. The content of each operation (summary, parameters, statuses, problem+json) is checked by
/// <see cref="ApiReferenceTests"/>, whose route list this class reuses.
/// </summary>
public sealed class Api9ImproperInventoryManagementTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task The_document_lists_exactly_the_SPEC_operations()
    {
        var document = await DocumentAsync();
        var listed = Operations(document).ToHashSet(StringComparer.Ordinal);
        var spec = ApiReferenceTests.SpecRoutes().Select(row => $"{((string)row[0]).ToUpperInvariant()} {(string)row[1]}").ToHashSet(StringComparer.Ordinal);

        Assert.Empty(listed.Except(spec));
        Assert.Empty(spec.Except(listed));
    }

    [Fact]
    public async Task Every_listed_operation_is_served_by_the_gateway()
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        using var comment = await Client.SendAsync(HttpMethod.Post, objects.Fill("/api/posts/{post}/comments"), objects.Owner.AccessToken, new { body = "listed" });
        await comment.ExpectAsync(HttpStatusCode.Created);
        var commentId = (await comment.JsonAsync()).GetProperty("id").GetInt64();

        foreach (var operation in Operations(await DocumentAsync()))
        {
            var method = operation[..operation.IndexOf(' ', StringComparison.Ordinal)];
            var path = WithIds(operation[(method.Length + 1)..], objects, commentId);

            // A GET with an admin token and real ids finds its object; any other method, sent anonymously and
            // without a body, is refused by its route (401, 400) without side effects. Only an unrouted path is 404.
            using var response = await Client.SendAsync(new HttpMethod(method), path, method == "GET" ? objects.Admin.AccessToken : null);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode != HttpStatusCode.NotFound && (int)response.StatusCode < 500, $"{operation} ({path}) is listed but answered {(int)response.StatusCode}: {body}");
        }
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/internal/jobs")]
    [InlineData("/v1/api/products")]
    [InlineData("/v2/api/products")]
    [InlineData("/api/v1/products")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task Paths_the_gateway_does_not_list_are_404(string path)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, path);
        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>Each path parameter filled with the id of a real object of the kind its path segment names.</summary>
    private static string WithIds(string template, OwaspObjects objects, long commentId) =>
        Regex.Replace(template, "/([a-z]+)/\\{[^}]+\\}", match => "/" + match.Groups[1].Value + "/" + (match.Groups[1].Value switch
        {
            "comments" => commentId,
            "posts" => objects.Post,
            "products" => objects.Product,
            "jobs" => objects.Job,
            _ => objects.Owner.Id,
        }).ToString(CultureInfo.InvariantCulture));

    private static IEnumerable<string> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch" or "head")
            .Select(o => $"{o.Name.ToUpperInvariant()} {path.Name}"));

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await Client.GetAsync("/openapi/gateway.json");
        await response.ExpectAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }
}
