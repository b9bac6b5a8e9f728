namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// <c>Database:MaxStandbyLagMilliseconds</c> (1 s here): with the service's own standby's replay paused after a write,
/// once its lag passes the bound anonymous reads (no token) are the primary's and show the write
/// (<c>db_reads_total{reason="standby_lagging"}</c>); when replay resumes they return to the standby.
/// </summary>
public sealed class PostgresStandbyLagBoundTests(OwnStandbyFixture factory) : StandbySuite<OwnStandbyFixture>(factory)
{
    private const string LaggingReads = "db_reads_total{reason=\"standby_lagging\",target=\"primary\"}";

    [SkippableFact]
    public async Task A_standby_lagging_past_the_bound_is_skipped_until_it_catches_up()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await Factory.CreateAsync(name: $"{marker} old");
        var database = Factory.Services.GetRequiredService<IDatabase>();
        using var writer = Factory.CreateClient(Factory.Tokens.Admin());
        using var anonymous = Factory.CreateClient();
        var limit = 0;
        await Factory.Standby.CaughtUpAsync(Factory.DatabaseName);
        await Eventually.HoldsAsync(
            async () => await StandbyFixture.OnStandbyAsync(database) && await NameOnFreshPageAsync(anonymous, marker, ++limit) == $"{marker} old",
            "the service's own standby serves reads");

        await Factory.Standby.ExecuteAsync("SELECT pg_wal_replay_pause()");
        try
        {
            using (var put = await writer.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            var before = await MetricsPage.ValueAsync(anonymous, LaggingReads);
            await Eventually.HoldsAsync(
                async () => await NameOnFreshPageAsync(anonymous, marker, ++limit) == $"{marker} new",
                "once the paused standby lags past the bound, anonymous reads are the primary's");
            Assert.False(await StandbyFixture.OnStandbyAsync(database));
            var after = await MetricsPage.ValueAsync(anonymous, LaggingReads);
            Assert.True(after > before, $"standby_lagging {before} -> {after}");
        }
        finally
        {
            await Factory.Standby.ExecuteAsync("SELECT pg_wal_replay_resume()");
        }

        await Eventually.HoldsAsync(() => StandbyFixture.OnStandbyAsync(database), "reads return to the standby once it caught up");
        Assert.Equal($"{marker} new", await NameOnFreshPageAsync(anonymous, marker, ++limit));
    }
}
