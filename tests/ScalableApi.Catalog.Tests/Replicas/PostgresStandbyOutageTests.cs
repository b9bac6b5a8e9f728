namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The standby goes away while the service runs (its sessions cut, its port closed) and comes back on the same port:
/// anonymous reads are served throughout, by the primary meanwhile, never a 5xx; then reads return to the standby.
/// </summary>
public sealed class PostgresStandbyOutageTests(StandbySwitchFixture factory) : StandbySuite<StandbySwitchFixture>(factory)
{
    [SkippableFact]
    public async Task Reads_move_to_the_primary_while_the_standby_is_down_and_back_when_it_returns()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await Factory.CreateAsync(name: marker);
        await Factory.StandbyServesReadsAsync();
        var database = Factory.Services.GetRequiredService<IDatabase>();
        using var anonymous = Factory.CreateClient();
        var limit = 0;

        await ReadFreshPagesAsync(anonymous, marker, created.Id, () => ++limit, 5);

        await Factory.Switch.DownAsync();
        await ReadFreshPagesAsync(anonymous, marker, created.Id, () => ++limit, 20);
        Assert.False(await StandbyFixture.OnStandbyAsync(database));

        Factory.Switch.Up();
        await Eventually.HoldsAsync(() => StandbyFixture.OnStandbyAsync(database), "reads return to the standby once it is back");
        await ReadFreshPagesAsync(anonymous, marker, created.Id, () => ++limit, 5);
    }
}
