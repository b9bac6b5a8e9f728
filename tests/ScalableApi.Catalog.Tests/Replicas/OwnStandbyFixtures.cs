namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The catalog service on <c>Host=primary,{a standby of its own}</c> (<see cref="OwnStandby"/>), which its tests may
/// pause; a standby lagging more than a second is skipped.
/// </summary>
public sealed class OwnStandbyFixture : StandbyFixture
{
    private OwnStandby? _standby;

    // Started when the host first asks for its connection string (the fixture's database exists by then): the
    // basebackup's slot streams the database's creation to it like every later write.
    public OwnStandby Standby => _standby ??= Own(OwnStandby.StartAsync().GetAwaiter().GetResult());

    protected override string ServiceConnectionString =>
        new Npgsql.NpgsqlConnectionStringBuilder(Standby.Replicated(DatabaseName)) { HostRecheckSeconds = 1 }.ConnectionString;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [.. base.ExtraSettings, new("Database:MaxStandbyLagMilliseconds", "1000")];
}

/// <summary>
/// The catalog service on <c>Host=primary,{shared standby},{a standby of its own};Load Balance Hosts=true</c>: two
/// standbys of one primary.
/// </summary>
public sealed class TwoStandbysFixture : StandbyFixture
{
    private OwnStandby? _second;

    public OwnStandby Second => _second ??= Own(OwnStandby.StartAsync().GetAwaiter().GetResult());

    public int SharedStandbyPort => new Npgsql.NpgsqlConnectionStringBuilder(TestStandby.Standby("postgres")).Port;

    protected override string ServiceConnectionString
    {
        get
        {
            var replicated = new Npgsql.NpgsqlConnectionStringBuilder(TestStandby.Replicated(DatabaseName));
            replicated.Host = $"{replicated.Host},127.0.0.1:{Second.Port}";
            replicated.LoadBalanceHosts = true;
            replicated.HostRecheckSeconds = 1;
            return replicated.ConnectionString;
        }
    }
}

/// <summary>
/// The catalog service on <c>Host={a primary of its own},{its standby}</c> (<see cref="OwnPrimary"/>), which its tests
/// stop and start again; a host found down is rechecked every second (Npgsql's default is 10 s). The standby lag bound
/// is the default one (5 s).
/// </summary>
public sealed class OwnPrimaryFixture : StandbyFixture
{
    private OwnPrimary? _primary;

    // Started when the host first asks for its connection string: the fixture's database name, on the own primary.
    public OwnPrimary Primary => _primary ??= Own(OwnPrimary.StartAsync(DatabaseName).GetAwaiter().GetResult());

    protected override string ServiceConnectionString =>
        new Npgsql.NpgsqlConnectionStringBuilder(Primary.Replicated(DatabaseName)) { HostRecheckSeconds = 1 }.ConnectionString;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [.. base.ExtraSettings, new("Database:MaxStandbyLagMilliseconds", "5000")];
}
