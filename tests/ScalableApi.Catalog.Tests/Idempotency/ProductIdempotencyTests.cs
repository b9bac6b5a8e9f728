using System.Net;
using System.Net.Http.Json;
using ScalableApi.Catalog.Products;
using ScalableApi.Platform.Idempotency;

namespace ScalableApi.Catalog.Tests.Idempotency;

/// <summary>POST /api/products with Idempotency-Key (replayed with its ETag), a key on a route that takes none, and a repeated DELETE.</summary>
public abstract class ProductIdempotencyTests(ServiceFactory<Program> factory)
{
    [SkippableFact]
    public async Task A_repeated_keyed_create_makes_one_product_and_replays_location_etag_and_body()
    {
        var marker = CatalogClient.UniqueMarker();
        var key = Guid.NewGuid().ToString();
        using var admin = factory.CreateClient(factory.Tokens.Admin());

        using var first = await admin.SendAsync(Keyed("/api/products", key, CatalogClient.Body(marker)));
        using var second = await admin.SendAsync(Keyed("/api/products", key, CatalogClient.Body(marker)));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues(IdempotencyHeaders.Replayed)));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadFromJsonAsync<Product>(), await second.Content.ReadFromJsonAsync<Product>());
        var found = await admin.WalkAsync("q=" + marker);
        Assert.Single(found);
    }

    [SkippableFact]
    public async Task A_key_on_a_route_that_takes_none_is_400_and_runs_nothing()
    {
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var request = Keyed("/api/jobs/1/retry", Guid.NewGuid().ToString(), new { });

        using var response = await admin.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_repeated_delete_by_the_same_admin_is_204_by_another_404()
    {
        var (product, _) = await factory.CreateAsync(CatalogClient.UniqueMarker());
        using var admin = factory.CreateClient(factory.Tokens.Admin(ContentLikeId()));
        using var otherAdmin = factory.CreateClient(factory.Tokens.Admin(ContentLikeId()));

        using var first = await admin.DeleteAsync($"/api/products/{product.Id}");
        using var retried = await admin.DeleteAsync($"/api/products/{product.Id}");
        using var other = await otherAdmin.DeleteAsync($"/api/products/{product.Id}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.NotFound);
    }

    private static long ContentLikeId() => Random.Shared.NextInt64(1_000_000, 1_000_000_000_000);

    private static HttpRequestMessage Keyed(string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(IdempotencyHeaders.Key, key);
        return request;
    }
}

public sealed class SqliteProductIdempotencyTests(SqliteFixture fixture) : ProductIdempotencyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresProductIdempotencyTests(PostgresFixture fixture) : ProductIdempotencyTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
