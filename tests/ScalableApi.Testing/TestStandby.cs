using Npgsql;

namespace ScalableApi.Testing;

/// <summary>
/// The streaming standby .ci/run starts beside the PostgreSQL test server (<see cref="TestDatabase.PostgresEnvironmentVariable"/>,
/// the primary). Suites that use it are named <c>PostgresStandby…</c> (the name .ci/run counts), carry
/// <c>[Trait("Category", "PostgresStandby")]</c> (for <c>--filter Category=PostgresStandby</c>) and join
/// <see cref="Collection"/>: one of them pauses replay, which every other reader of the standby would notice.
/// </summary>
public static class TestStandby
{
    /// <summary>Admin connection string of the standby alone, e.g. <c>Host=127.0.0.1;Port=55433;Username=postgres</c>.</summary>
    public const string StandbyEnvironmentVariable = "SCALABLEAPI_TEST_POSTGRES_STANDBY";

    /// <summary>Multi-host admin connection string, primary first: <c>Host=127.0.0.1:P,127.0.0.1:S;Username=postgres</c>.</summary>
    public const string ReplicatedEnvironmentVariable = "SCALABLEAPI_TEST_POSTGRES_REPLICATED";

    /// <summary>The xunit collection of every standby suite: its classes run one after another.</summary>
    public const string Collection = "PostgresStandby";

    public static bool Available =>
        TestDatabase.PostgresAvailable
        && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(StandbyEnvironmentVariable))
        && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ReplicatedEnvironmentVariable));

    /// <summary>Like <see cref="TestDatabase.SkipUnlessPostgres"/>: skipped outside CI without a standby, a failure in CI.</summary>
    public static void SkipUnlessStandby() =>
        CiRequirement.SkipUnlessPresent(
            Available ? null : $"{StandbyEnvironmentVariable} / {ReplicatedEnvironmentVariable} are not set",
            "PostgreSQL standby");

    /// <summary>The standby alone, on <paramref name="database"/>.</summary>
    public static string Standby(string database) => WithDatabase(StandbyEnvironmentVariable, database);

    /// <summary><c>Host=primary,standby</c> on <paramref name="database"/>.</summary>
    public static string Replicated(string database) => WithDatabase(ReplicatedEnvironmentVariable, database);

    /// <summary>
    /// <c>Host=primary,{a port nothing listens on}</c>: what a service sees while its standby is down (the shared
    /// standby is never stopped, other suites read from it).
    /// </summary>
    public static string WithStandbyDown(string database)
    {
        var primary = new NpgsqlConnectionStringBuilder(Require(TestDatabase.PostgresEnvironmentVariable)) { Database = database };
        primary.Host = $"{primary.Host}:{primary.Port},127.0.0.1:{UnusedPort()}";
        return primary.ConnectionString;
    }

    /// <summary>The database name in a test database's connection string.</summary>
    public static string DatabaseName(TestDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString).Database ?? throw new InvalidOperationException("No database named.");

    /// <summary>
    /// Waits until the standby (the shared one unless named) has replayed everything its primary (the shared one unless
    /// named by its admin connection string) has committed so far.
    /// </summary>
    public static async Task CaughtUpAsync(string database, string? standbyConnectionString = null, string? primaryAdmin = null)
    {
        await using var primary = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(primaryAdmin ?? Require(TestDatabase.PostgresEnvironmentVariable)) { Database = database }.ConnectionString);
        await primary.OpenAsync();
        // The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit = off (.ci/run's
        // server) a commit may be inserted but not yet written, and the standby would look caught up without it.
        // At a page boundary the insert position already counts the next page's header (24 bytes, 40 at a segment's
        // start), which no record fills until the next write: the standby's replay position stops just before it.
        await using var lsnCommand = new NpgsqlCommand(
            """
            SELECT (CASE WHEN (l - '0/0'::pg_lsn) % 16777216 = 40 THEN l - 40
                         WHEN (l - '0/0'::pg_lsn) % 8192 = 24 THEN l - 24
                         ELSE l END)::text
            FROM (SELECT pg_current_wal_insert_lsn() AS l) AS position
            """,
            primary);
        var lsn = (string)(await lsnCommand.ExecuteScalarAsync())!;
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    await using var standby = new NpgsqlConnection(standbyConnectionString ?? Standby(database));
                    await standby.OpenAsync();
                    await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @lsn::pg_lsn", standby);
                    replayed.Parameters.AddWithValue("lsn", lsn);
                    return (bool)(await replayed.ExecuteScalarAsync())!;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
                {
                    return false; // The CREATE DATABASE itself is not replayed yet.
                }
            },
            $"the standby replays up to {lsn}");
    }

    /// <summary>Runs one statement on the standby (superuser): <c>SELECT pg_wal_replay_pause()</c> and the like.</summary>
    public static async Task ExecuteOnStandbyAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Require(StandbyEnvironmentVariable));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string WithDatabase(string variable, string database) =>
        new NpgsqlConnectionStringBuilder(Require(variable)) { Database = database }.ConnectionString;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set.");

    private static int UnusedPort() => LoopbackPorts.Free();
}
