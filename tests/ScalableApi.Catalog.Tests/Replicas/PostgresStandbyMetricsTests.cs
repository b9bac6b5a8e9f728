using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// <c>db_reads_total{target,reason}</c> on a real primary + standby: reads without a token, and reads whose token the
/// standby has replayed, count on the standby (none falls back once the standby is up), and with the standby down the
/// fallback shows as <c>standby_unavailable</c>; each standby's replay lag is a gauge.
/// </summary>
public sealed class PostgresStandbyMetricsTests(StandbyFixture replicated, StandbyDownFixture standbyDown)
    : StandbySuite<StandbyFixture>(replicated), IClassFixture<StandbyDownFixture>
{
    private const string StandbyReads = "db_reads_total{reason=\"standby\",target=\"standby\"}";
    private const string TokenAheadReads = "db_reads_total{reason=\"token_ahead\",target=\"primary\"}";
    private const string FallbackReads = "db_reads_total{reason=\"standby_unavailable\",target=\"primary\"}";

    private readonly StandbyDownFixture _standbyDown = standbyDown;

    [SkippableFact]
    public async Task Reads_count_by_the_server_that_served_them()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await Factory.CreateAsync(name: marker);
        using var anonymous = Factory.CreateClient();
        using var admin = Factory.CreateClient(Factory.Tokens.Admin());
        string token;
        using (var put = await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body(marker)))
        {
            token = Assert.Single(put.Headers.GetValues("Consistency-Token"));
        }

        await Factory.StandbyServesReadsAsync();
        var before = await MetricsPage.ScrapeAsync(anonymous);

        for (var limit = 1; limit <= 5; limit++)
        {
            await anonymous.PageAsync($"/api/products?q={marker}&limit={limit}");
        }

        // Its token replayed (the standby caught up above), the writer's own read is the standby's too.
        await admin.GetWithTokenAsync<Page<Product>>($"/api/products?q={marker}&limit=6", token);

        var after = await MetricsPage.ScrapeAsync(anonymous);
        Assert.True(after.Value(StandbyReads) >= before.Value(StandbyReads) + 6, after.Text);
        Assert.Equal(before.Value(TokenAheadReads), after.Value(TokenAheadReads));
        Assert.Equal(before.Value(FallbackReads), after.Value(FallbackReads));
        after.AssertContains("db_standby_replay_lag_seconds{standby=\"");
    }

    [SkippableFact]
    public async Task With_the_standby_down_reads_count_as_fallbacks_to_the_primary()
    {
        var marker = CatalogClient.UniqueMarker();
        await _standbyDown.CreateAsync(name: marker);
        using var anonymous = _standbyDown.CreateClient();
        var before = await MetricsPage.ValueAsync(anonymous, FallbackReads);

        for (var limit = 1; limit <= 3; limit++)
        {
            await anonymous.PageAsync($"/api/products?q={marker}&limit={limit}");
        }

        var after = await MetricsPage.ScrapeAsync(anonymous);
        Assert.True(after.Value(FallbackReads) >= before + 3, after.Text);
        Assert.Equal(0, after.Value(StandbyReads));
    }
}
