using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace ScalableApi.Platform.Tests.Data;

/// <summary>Migrations apply once, in order, even when several replicas start at the same moment.</summary>
public abstract class MigrationRunnerTests(DatabaseEngine engine)
{
    private static readonly IReadOnlyList<Migration> Migrations = [
        new(1, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"),
        new(2, "notes_index", "CREATE INDEX ix_notes_text ON notes (text);"),
        new(3, "seed", "INSERT INTO notes (id, text) VALUES (1, 'seeded once');"),
    ];

    [SkippableFact]
    public async Task Replicas_starting_together_apply_each_migration_exactly_once()
    {
        await using var testDb = await TestDatabase.CreateAsync(engine);
        var options = new DatabaseOptions { ConnectionString = testDb.ConnectionString };

        // Four "replicas", each with its own data source, race to migrate the same database.
        var databases = Enumerable.Range(0, 4).Select(_ => Create(options)).ToArray();
        using var start = new ManualResetEventSlim();
        var runs = databases.Select(db => Task.Run(async () =>
        {
            start.Wait();
            return await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync(Migrations);
        })).ToArray();
        start.Set();
        var applied = await Task.WhenAll(runs);

        Assert.Equal([1, 2, 3], applied.SelectMany(a => a).Order());
        await using var connection = await databases[0].OpenReadAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notes"));
        await DisposeAll(databases);
    }

    [SkippableFact]
    public async Task A_later_start_applies_only_new_migrations()
    {
        await using var testDb = await TestDatabase.CreateAsync(engine);
        var database = Create(new DatabaseOptions { ConnectionString = testDb.ConnectionString });
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);

        Assert.Equal([1, 2], await runner.MigrateAsync(Migrations.Take(2).ToList()));
        Assert.Equal([3], await runner.MigrateAsync(Migrations));
        Assert.Empty(await runner.MigrateAsync(Migrations));
        await DisposeAll([database]);
    }

    [SkippableFact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        await using var testDb = await TestDatabase.CreateAsync(engine);
        var database = Create(new DatabaseOptions { ConnectionString = testDb.ConnectionString });
        var runner = new MigrationRunner(database, NullLogger<MigrationRunner>.Instance);
        IReadOnlyList<Migration> broken = [Migrations[0], new(2, "broken", "CREATE TABLE oops (id INTEGER PRIMARY KEY); THIS IS NOT SQL;")];

        await Assert.ThrowsAnyAsync<Exception>(() => runner.MigrateAsync(broken));

        Assert.Equal([1, 2, 3], await runner.MigrateAsync(Migrations));
        await DisposeAll([database]);
    }

    private static IDatabase Create(DatabaseOptions options) =>
        IsPostgres(options) ? new PostgresDatabase(options) : new SqliteDatabase(options);

    private static bool IsPostgres(DatabaseOptions options) => options.ConnectionString!.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    private static async Task DisposeAll(IEnumerable<IDatabase> databases)
    {
        foreach (var database in databases)
        {
            if (database is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}

public sealed class SqliteMigrationRunnerTests() : MigrationRunnerTests(DatabaseEngine.Sqlite);

public sealed class PostgresMigrationRunnerTests() : MigrationRunnerTests(TestDatabase.RequirePostgres(DatabaseEngine.Postgres));
