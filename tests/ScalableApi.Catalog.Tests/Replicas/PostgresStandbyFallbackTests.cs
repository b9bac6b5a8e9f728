using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>The catalog service whose standby is down: anonymous reads are served by the primary, never a 5xx.</summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyFallbackTests : IClassFixture<StandbyDownFixture>
{
    private readonly StandbyDownFixture _factory;

    public PostgresStandbyFallbackTests(StandbyDownFixture factory)
    {
        TestStandby.SkipUnlessStandby();
        _factory = factory;
    }

    [SkippableFact]
    public async Task With_the_standby_down_anonymous_reads_fall_back_to_the_primary()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await _factory.CreateAsync(name: marker);
        using var anonymous = _factory.CreateClient();

        // A fresh page each time (no cache hit): every one of them needs a read connection.
        for (var limit = 1; limit <= 20; limit++)
        {
            using var response = await anonymous.GetAsync($"/api/products?q={marker}&limit={limit}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<ScalableApi.Contracts.Page<Product>>();
            Assert.Equal(created.Id, Assert.Single(page!.Items).Id);
        }
    }
}
