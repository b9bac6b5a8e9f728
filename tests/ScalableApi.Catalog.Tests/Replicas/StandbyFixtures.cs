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

    /// <summary>
    /// The service's connection string; the standby's by default. A host Npgsql found unusable is retried after a
    /// second here (default 10 s): at start-up the standby may not have replayed the fixture's CREATE DATABASE yet.
    /// </summary>
    protected virtual string ServiceConnectionString =>
        new Npgsql.NpgsqlConnectionStringBuilder(TestStandby.Replicated(DatabaseName)) { HostRecheckSeconds = 1 }.ConnectionString;

    /// <summary>Waits until the standby has replayed every write so far and the service's reads that allow it reach it.</summary>
    public async Task StandbyServesReadsAsync()
    {
        await TestStandby.CaughtUpAsync(DatabaseName);
        var database = Services.GetRequiredService<IDatabase>();
        await Eventually.HoldsAsync(() => OnStandbyAsync(database), "reads that allow a standby reach it");
    }

    /// <summary>Whether a read that allows a standby runs on one, the way the service's reads run.</summary>
    public static Task<bool> OnStandbyAsync(IDatabase database) =>
        database.ReadAsync(
            ReadConsistency.Any,
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT pg_is_in_recovery()";
                return (bool)(await command.ExecuteScalarAsync())!;
            },
            CancellationToken.None);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Database:ConnectionString", TestStandby.Available ? ServiceConnectionString : Database.ConnectionString),
        new("Caching:FillFromPrimaryAfterWrite", "00:00:00"),
        // The suites that pause the shared standby test tokens, not the lag bound (PostgresStandbyLagBoundTests does).
        new("Database:MaxStandbyLagMilliseconds", "0"),
    ];
}

/// <summary>The catalog service on <c>Host=primary,{nothing listening}</c>: its standby is down.</summary>
public sealed class StandbyDownFixture : StandbyFixture
{
    protected override string ServiceConnectionString => TestStandby.WithStandbyDown(DatabaseName);
}

[CollectionDefinition(TestStandby.Collection, DisableParallelization = true)]
public sealed class StandbyCollection;

/// <summary>
/// The catalog service on <c>Host=primary,{a switch in front of the standby}</c>, rechecking a host marked down every
/// second (Npgsql's default is 10 s), so a test can take its standby away and bring it back.
/// </summary>
public sealed class StandbySwitchFixture : StandbyFixture
{
    private StandbySwitch? _switch;

    internal StandbySwitch Switch => _switch ??= CreateSwitch();

    protected override string ServiceConnectionString
    {
        get
        {
            var replicated = new Npgsql.NpgsqlConnectionStringBuilder(TestStandby.Replicated(DatabaseName));
            var primary = replicated.Host!.Split(',')[0];
            replicated.Host = $"{primary},127.0.0.1:{Switch.Port}";
            replicated.HostRecheckSeconds = 1;
            return replicated.ConnectionString;
        }
    }

    private StandbySwitch CreateSwitch()
    {
        var standby = new Npgsql.NpgsqlConnectionStringBuilder(TestStandby.Standby("postgres"));
        var created = Own(new StandbySwitch(standby.Port));
        created.Up();
        return created;
    }
}
