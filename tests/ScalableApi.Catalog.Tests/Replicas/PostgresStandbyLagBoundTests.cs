using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// <c>Database:MaxStandbyLagMilliseconds</c> (1 s here): with the service's own standby's replay paused after a write,
/// once its lag passes the bound anonymous reads (no token) are the primary's and show the write
/// (<c>db_reads_total{reason="standby_lagging"}</c>); when replay resumes they return to the standby.
/// </summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyLagBoundTests : IClassFixture<OwnStandbyFixture>
{
    private const string LaggingReads = "db_reads_total{reason=\"standby_lagging\",target=\"primary\"}";

    private readonly OwnStandbyFixture _factory;

    public PostgresStandbyLagBoundTests(OwnStandbyFixture factory)
    {
        TestStandby.SkipUnlessStandby();
        _factory = factory;
    }

    [SkippableFact]
    public async Task A_standby_lagging_past_the_bound_is_skipped_until_it_catches_up()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await _factory.CreateAsync(name: $"{marker} old");
        var database = _factory.Services.GetRequiredService<IDatabase>();
        using var writer = _factory.CreateClient(_factory.Tokens.Admin());
        using var anonymous = _factory.CreateClient();
        var limit = 0;
        await _factory.Standby.CaughtUpAsync(_factory.DatabaseName);
        await Eventually.HoldsAsync(
            async () => await StandbyFixture.OnStandbyAsync(database) && await NameAsync(anonymous, marker, ++limit) == $"{marker} old",
            "the service's own standby serves reads");

        await _factory.Standby.ExecuteAsync("SELECT pg_wal_replay_pause()");
        try
        {
            using (var put = await writer.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            var before = PrometheusText.Value(await anonymous.GetStringAsync("/metrics"), LaggingReads);
            await Eventually.HoldsAsync(
                async () => await NameAsync(anonymous, marker, ++limit) == $"{marker} new",
                "once the paused standby lags past the bound, anonymous reads are the primary's");
            Assert.False(await StandbyFixture.OnStandbyAsync(database));
            var after = PrometheusText.Value(await anonymous.GetStringAsync("/metrics"), LaggingReads);
            Assert.True(after > before, $"standby_lagging {before} -> {after}");
        }
        finally
        {
            await _factory.Standby.ExecuteAsync("SELECT pg_wal_replay_resume()");
        }

        await Eventually.HoldsAsync(() => StandbyFixture.OnStandbyAsync(database), "reads return to the standby once it caught up");
        Assert.Equal($"{marker} new", await NameAsync(anonymous, marker, ++limit));
    }

    /// <summary>A page no one has cached (a new limit each time): a read connection of its own.</summary>
    private static async Task<string> NameAsync(HttpClient client, string marker, int limit)
    {
        var page = await client.PageAsync($"/api/products?q={marker}&limit={limit}");
        return Assert.Single(page.Items).Name;
    }
}
