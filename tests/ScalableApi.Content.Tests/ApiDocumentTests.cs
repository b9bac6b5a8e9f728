namespace ScalableApi.Content.Tests;

/// <summary>The OpenAPI document builds with every content route in it (typed results make it precise).</summary>
public abstract class ApiDocumentTests(ServiceFactory<Program> factory)
{
    [SkippableFact]
    public async Task OpenApi_document_lists_every_content_route()
    {
        using var client = factory.CreateClient(token: null);

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        string[] expected =
        [
            "/api/posts", "/api/posts/{id}", "/api/posts/{postId}/comments", "/api/comments/{id}",
            "/api/users/{userId}/posts", "/api/users/{userId}/comments",
        ];
        Assert.All(expected, path => Assert.True(paths.TryGetProperty(path, out _), $"missing {path}"));
    }
}

public sealed class SqliteApiDocumentTests(SqliteFixture fixture) : ApiDocumentTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresApiDocumentTests(PostgresFixture fixture) : ApiDocumentTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
