namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>The catalog service whose standby is down: anonymous reads are served by the primary, never a 5xx.</summary>
public sealed class PostgresStandbyFallbackTests(StandbyDownFixture factory) : StandbySuite<StandbyDownFixture>(factory)
{
    [SkippableFact]
    public async Task With_the_standby_down_anonymous_reads_fall_back_to_the_primary()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await Factory.CreateAsync(name: marker);
        using var anonymous = Factory.CreateClient();
        var limit = 0;

        await ReadFreshPagesAsync(anonymous, marker, created.Id, () => ++limit, 20);
    }
}
