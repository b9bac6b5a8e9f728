using System.Text.Json.Nodes;
using ScalableApi.Gateway.ApiReference;
using Yarp.ReverseProxy.Configuration;

namespace ScalableApi.Gateway.Tests.ApiReference;

/// <summary>The merge behind /docs: what a client of the gateway can call, described as the gateway answers it.</summary>
public sealed class ApiDocumentMergerTests
{
    private static readonly IReadOnlyList<ProxiedRoute> Routes =
    [
        Route("products", "catalog", "/api/products/{**rest}", ["GET", "HEAD"]),
        Route("products-write", "catalog", "/api/products/{**rest}", ["POST", "PUT", "DELETE"], "admin"),
        Route("posts-write", "content", "/api/posts/{**rest}", ["POST"], "default"),
    ];

    [Fact]
    public void Only_operations_a_gateway_route_reaches_are_kept()
    {
        var catalog = Document("""
            { "openapi": "3.1.1", "paths": {
                "/api/products": { "get": { "summary": "list", "responses": { "200": { "description": "OK" } } },
                                   "post": { "summary": "create", "responses": { "201": { "description": "Created" } } } },
                "/internal/reindex": { "post": { "summary": "not routed", "responses": { "204": { "description": "" } } } },
                "/api/products/{id}": { "patch": { "summary": "no PATCH route", "responses": { "200": { "description": "OK" } } } } } }
            """);

        var merged = ApiDocumentMerger.Merge([new SourceDocument("catalog", "catalog", catalog)], Routes, "t");

        var paths = merged["paths"]!.AsObject();
        Assert.NotNull(paths["/api/products"]?["get"]);
        Assert.NotNull(paths["/api/products"]?["post"]);
        Assert.False(paths.ContainsKey("/internal/reindex"));
        Assert.False(paths.ContainsKey("/api/products/{id}"));
    }

    [Fact]
    public void A_route_policy_adds_the_bearer_token_and_its_401_403_and_every_error_is_problem_json()
    {
        var catalog = Document("""
            { "paths": { "/api/products/{id}": {
                "delete": { "summary": "delete", "responses": { "204": { "description": "" }, "404": { "description": "Not Found" } } },
                "get": { "summary": "get", "responses": { "200": { "description": "OK" } } } } } }
            """);

        var merged = ApiDocumentMerger.Merge([new SourceDocument("catalog", "catalog", catalog)], Routes, "t");

        var delete = merged["paths"]!["/api/products/{id}"]!["delete"]!;
        Assert.NotNull(delete["security"]);
        foreach (var status in new[] { "401", "403", "404", "429", "503" })
        {
            Assert.NotNull(delete["responses"]![status]?["content"]?["application/problem+json"]?["schema"]);
        }

        var get = merged["paths"]!["/api/products/{id}"]!["get"]!;
        Assert.Null(get["security"]);
        Assert.Null(get["responses"]!["401"]);
        Assert.NotNull(merged["components"]!["schemas"]![ApiDocumentMerger.ProblemSchema]);
    }

    [Fact]
    public void A_schema_name_two_services_use_differently_is_renamed_with_its_references_and_an_identical_one_shared()
    {
        const string Paged = """{ "type": "object", "properties": { "items": { "type": "array" } } }""";
        var catalog = Document($$"""
            { "paths": { "/api/products": { "get": { "summary": "list", "responses": { "200": { "description": "OK",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Item" } } } } } } } },
              "components": { "schemas": { "Item": { "type": "object", "properties": { "price": { "type": "number" } } }, "Page": {{Paged}} } } }
            """);
        var content = Document($$"""
            { "paths": { "/api/posts": { "post": { "summary": "create", "responses": { "201": { "description": "Created",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Item" } } } } } } } },
              "components": { "schemas": { "Item": { "type": "object", "properties": { "title": { "type": "string" } } }, "Page": {{Paged}} } } }
            """);

        var merged = ApiDocumentMerger.Merge([new SourceDocument("catalog", "catalog", catalog), new SourceDocument("content", "content", content)], Routes, "t");

        var schemas = merged["components"]!["schemas"]!.AsObject();
        Assert.NotNull(schemas["Item"]?["properties"]?["price"]);
        Assert.NotNull(schemas["content.Item"]?["properties"]?["title"]);
        Assert.False(schemas.ContainsKey("content.Page"));
        var reference = merged["paths"]!["/api/posts"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        Assert.Equal("#/components/schemas/content.Item", reference);
    }

    [Theory]
    [InlineData("/api/posts/{postId}/comments", "/api/posts/1/comments")]
    [InlineData("/api/products", "/api/products")]
    [InlineData("/api/users/{id}/overview", "/api/users/1/overview")]
    public void Path_templates_become_sample_paths_the_route_patterns_are_tried_on(string template, string sample) =>
        Assert.Equal(sample, GatewayRouteTable.SamplePath(template));

    private static JsonObject Document(string json) => JsonNode.Parse(json)!.AsObject();

    private static ProxiedRoute Route(string id, string cluster, string path, string[] methods, string? policy = null) =>
        ProxiedRoute.From(new RouteConfig { RouteId = id, ClusterId = cluster, AuthorizationPolicy = policy, Match = new RouteMatch { Path = path, Methods = methods } })!;
}
