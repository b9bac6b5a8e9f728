using ScalableApi.Catalog.Tests.Support;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// <c>db_reads_total{target,reason}</c> on a real primary + standby: anonymous reads count on the standby, signed-in
/// reads on the primary as latest (none falls back once the standby is up), and with the standby down the fallback shows as <c>standby_unavailable</c>.
/// </summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyMetricsTests : IClassFixture<StandbyFixture>, IClassFixture<StandbyDownFixture>
{
    private const string StandbyReads = "db_reads_total{reason=\"standby\",target=\"standby\"}";
    private const string LatestReads = "db_reads_total{reason=\"latest\",target=\"primary\"}";
    private const string FallbackReads = "db_reads_total{reason=\"standby_unavailable\",target=\"primary\"}";

    private readonly StandbyFixture _replicated;
    private readonly StandbyDownFixture _standbyDown;

    public PostgresStandbyMetricsTests(StandbyFixture replicated, StandbyDownFixture standbyDown)
    {
        TestStandby.SkipUnlessStandby();
        _replicated = replicated;
        _standbyDown = standbyDown;
    }

    [SkippableFact]
    public async Task Reads_count_by_the_server_that_served_them()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await _replicated.CreateAsync(name: marker);
        await _replicated.StandbyServesReadsAsync();
        using var anonymous = _replicated.CreateClient();
        using var admin = _replicated.CreateClient(_replicated.Tokens.Admin());
        var before = await anonymous.GetStringAsync("/metrics");

        for (var limit = 1; limit <= 5; limit++)
        {
            await anonymous.PageAsync($"/api/products?q={marker}&limit={limit}");
        }

        using (var own = await admin.GetAsync($"/api/products/{created.Id}"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        var after = await anonymous.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Value(after, StandbyReads) >= PrometheusText.Value(before, StandbyReads) + 5, after);
        Assert.True(PrometheusText.Value(after, LatestReads) >= PrometheusText.Value(before, LatestReads) + 1, after);
        Assert.Equal(PrometheusText.Value(before, FallbackReads), PrometheusText.Value(after, FallbackReads));
    }

    [SkippableFact]
    public async Task With_the_standby_down_reads_count_as_fallbacks_to_the_primary()
    {
        var marker = CatalogClient.UniqueMarker();
        await _standbyDown.CreateAsync(name: marker);
        using var anonymous = _standbyDown.CreateClient();
        var before = PrometheusText.Value(await anonymous.GetStringAsync("/metrics"), FallbackReads);

        for (var limit = 1; limit <= 3; limit++)
        {
            await anonymous.PageAsync($"/api/products?q={marker}&limit={limit}");
        }

        var after = await anonymous.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Value(after, FallbackReads) >= before + 3, after);
        Assert.Equal(0, PrometheusText.Value(after, StandbyReads));
    }
}
