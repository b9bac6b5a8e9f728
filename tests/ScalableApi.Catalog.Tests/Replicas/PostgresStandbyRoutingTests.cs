using System.Data.Common;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The platform's <see cref="IDatabase"/> on a real primary + streaming standby: a read that allows a standby gets a
/// connection to one (<c>pg_is_in_recovery()</c>), a latest read and every write get the primary, and with the standby
/// down a read that allows one still gets a connection, to the primary.
/// </summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyRoutingTests : IAsyncLifetime
{
    private TestDatabase? _database;

    public PostgresStandbyRoutingTests() => TestStandby.SkipUnlessStandby();

    private string DatabaseName => TestStandby.DatabaseName(_database!);

    public async Task InitializeAsync()
    {
        if (TestStandby.Available)
        {
            _database = await TestDatabase.CreatePostgresAsync();
            await TestStandby.CaughtUpAsync(DatabaseName);
        }
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Reads_that_allow_a_standby_use_it_and_latest_reads_and_writes_use_the_primary()
    {
        await using var database = Open(TestStandby.Replicated(DatabaseName));

        Assert.True(await InRecoveryAsync(await database.OpenReadAsync(ReadConsistency.Any, CancellationToken.None)));
        Assert.False(await InRecoveryAsync(await database.OpenReadAsync(ReadConsistency.Latest, CancellationToken.None)));
        Assert.False(await InRecoveryAsync(await database.OpenWriteAsync()));
    }

    [SkippableFact]
    public async Task A_write_on_the_primary_reaches_reads_on_the_standby()
    {
        await using var database = Open(TestStandby.Replicated(DatabaseName));
        await using (var write = await database.OpenWriteAsync())
        {
            await ExecuteAsync(write, "CREATE TABLE marks (id int PRIMARY KEY); INSERT INTO marks VALUES (42)");
        }

        await Eventually.HoldsAsync(
            async () =>
            {
                await using var read = await database.OpenReadAsync(ReadConsistency.Any, CancellationToken.None);
                await using var command = read.CreateCommand();
                command.CommandText = "SELECT count(*) FROM pg_tables WHERE tablename = 'marks'";
                return (long)(await command.ExecuteScalarAsync())! == 1;
            },
            "the table created on the primary is readable on the standby");
    }

    [SkippableFact]
    public async Task With_the_standby_down_reads_fall_back_to_the_primary()
    {
        await using var database = Open(TestStandby.WithStandbyDown(DatabaseName));

        for (var i = 0; i < 3; i++)
        {
            Assert.False(await InRecoveryAsync(await database.OpenReadAsync(ReadConsistency.Any, CancellationToken.None)));
        }
    }

    private static PostgresDatabase Open(string connectionString) => new(new DatabaseOptions { ConnectionString = connectionString });

    private static async Task<bool> InRecoveryAsync(DbConnection connection)
    {
        await using (connection)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_is_in_recovery()";
            return (bool)(await command.ExecuteScalarAsync())!;
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
