using ScalableApi.Platform.Data;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The catalog service on <c>Host=primary,standby</c> (the fixture's database, created on the primary, replicated to
/// the standby). Page fills right after a write read the primary by default; that window is off here so anonymous
/// pages show what the standby has replayed.
/// </summary>
public class StandbyFixture : ServiceFactory<Program>
{
    public StandbyFixture()
        : base(DatabaseEngine.Postgres)
    {
    }

    public string DatabaseName => TestStandby.DatabaseName(Database);

    /// <summary>The service's connection string; the standby's by default.</summary>
    protected virtual string ServiceConnectionString => TestStandby.Replicated(DatabaseName);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Database:ConnectionString", TestStandby.Available ? ServiceConnectionString : Database.ConnectionString),
        new("Caching:FillFromPrimaryAfterWrite", "00:00:00"),
    ];
}

/// <summary>The catalog service on <c>Host=primary,{nothing listening}</c>: its standby is down.</summary>
public sealed class StandbyDownFixture : StandbyFixture
{
    protected override string ServiceConnectionString => TestStandby.WithStandbyDown(DatabaseName);
}

[CollectionDefinition(TestStandby.Collection, DisableParallelization = true)]
public sealed class StandbyCollection;
