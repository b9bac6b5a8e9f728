using System.Net.Http.Json;
using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// Public reads tell the gateways' edge caches they may keep them longer than clients (<c>Surrogate-Control</c>,
/// <c>Caching:EdgeMaxAge</c>): the gateways hear every write's purge, browsers and CDNs do not, so they keep
/// <c>Cache-Control: max-age=30</c>. A signed-in read is private and tells the edge nothing.
/// </summary>
public sealed class SurrogateControlTests(SqliteFixture factory) : IClassFixture<SqliteFixture>
{
    private const string ClientCacheControl = "public, max-age=30, stale-while-revalidate=60";

    [Theory]
    [InlineData("/api/products/{0}")]
    [InlineData("/api/products?limit=5")]
    public async Task A_public_read_lets_the_edge_keep_it_5_minutes_and_clients_30_seconds(string path)
    {
        var id = (await factory.CreateAsync("surrogate control")).Product.Id;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(string.Format(CultureInfo.InvariantCulture, path, id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ClientCacheControl, response.Headers.CacheControl?.ToString());
        Assert.Equal("max-age=300", string.Join(',', response.Headers.GetValues("Surrogate-Control")));
    }

    [Fact]
    public async Task A_signed_in_read_is_private_and_names_no_edge_lifetime()
    {
        var id = (await factory.CreateAsync("surrogate control signed in")).Product.Id;
        using var client = factory.CreateClient(factory.Tokens.Create(5));

        using var response = await client.GetAsync($"/api/products/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store, private", response.Headers.CacheControl?.ToString()); // as HttpClient formats "private, no-store"
        Assert.False(response.Headers.Contains("Surrogate-Control"));
        Assert.Equal(id, (await response.Content.ReadFromJsonAsync<Product>())!.Id);
    }
}

/// <summary><c>Caching:EdgeMaxAge = 0</c>: the gateways keep what <c>Cache-Control</c> says, as before the header.</summary>
public sealed class SurrogateControlOffTests(SurrogateControlOffTests.Fixture factory) : IClassFixture<SurrogateControlOffTests.Fixture>
{
    [Fact]
    public async Task With_the_edge_max_age_at_zero_no_surrogate_control_is_sent()
    {
        var id = (await factory.CreateAsync("surrogate control off")).Product.Id;
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"/api/products/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=30, stale-while-revalidate=60", response.Headers.CacheControl?.ToString());
        Assert.False(response.Headers.Contains("Surrogate-Control"));
    }

    public sealed class Fixture() : ServiceFactory<Program>(DatabaseEngine.Sqlite)
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Caching:EdgeMaxAge", "00:00:00")];
    }
}
