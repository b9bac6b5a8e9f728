using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The standby goes away while the service runs (its sessions cut, its port closed) and comes back on the same port:
/// anonymous reads are served throughout, by the primary meanwhile, never a 5xx; then reads return to the standby.
/// </summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyOutageTests : IClassFixture<StandbySwitchFixture>
{
    private readonly StandbySwitchFixture _factory;

    public PostgresStandbyOutageTests(StandbySwitchFixture factory)
    {
        TestStandby.SkipUnlessStandby();
        _factory = factory;
    }

    [SkippableFact]
    public async Task Reads_move_to_the_primary_while_the_standby_is_down_and_back_when_it_returns()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await _factory.CreateAsync(name: marker);
        await _factory.StandbyServesReadsAsync();
        var database = _factory.Services.GetRequiredService<IDatabase>();
        using var anonymous = _factory.CreateClient();
        var limit = 0;

        await ReadPagesAsync(anonymous, marker, created.Id, () => ++limit, 5);

        await _factory.Switch.DownAsync();
        await ReadPagesAsync(anonymous, marker, created.Id, () => ++limit, 20);
        Assert.False(await StandbyFixture.OnStandbyAsync(database));

        _factory.Switch.Up();
        await Eventually.HoldsAsync(() => StandbyFixture.OnStandbyAsync(database), "reads return to the standby once it is back");
        await ReadPagesAsync(anonymous, marker, created.Id, () => ++limit, 5);
    }

    /// <summary>Pages no one has cached (a new limit each): each needs a read connection; every one must be a 200.</summary>
    private static async Task ReadPagesAsync(HttpClient client, string marker, long id, Func<int> nextLimit, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync($"/api/products?q={marker}&limit={nextLimit()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadFromJsonAsync<ScalableApi.Contracts.Page<Product>>();
            Assert.Equal(id, Assert.Single(page!.Items).Id);
        }
    }
}
