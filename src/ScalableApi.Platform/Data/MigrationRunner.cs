using System.Data.Common;
using Dapper;

namespace ScalableApi.Platform.Data;

/// <summary>
/// Applies pending migrations in one transaction under a lock, so replicas starting together do not race:
/// PostgreSQL takes a transaction-scoped advisory lock; SQLite takes the write lock with BEGIN IMMEDIATE.
/// The second runner waits, then finds nothing left to do.
/// </summary>
public sealed partial class MigrationRunner(IDatabase database, ILogger<MigrationRunner> logger)
{
    // Any fixed 64-bit number: the advisory lock is per database, so services with their own database never collide.
    private const long AdvisoryLockKey = 0x5CA1AB1E_0000_0001;

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    /// <summary>Applies what is pending and returns the versions this call applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        if (database is SqliteDatabase sqlite)
        {
            await sqlite.EnableWriteAheadLogAsync(cancellationToken);
        }

        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await BeginLockedAsync(connection, cancellationToken);

        await connection.ExecuteAsync(new CommandDefinition(CreateHistoryTable, transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        var appliedNow = new List<int>();
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version))
            {
                continue;
            }

            LogApplying(migration.Version, migration.Name, database.Engine);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = DateTime.UtcNow.ToString("O") },
                transaction,
                cancellationToken: cancellationToken));
            appliedNow.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        LogDone(appliedNow.Count, migrations.Count - appliedNow.Count, database.Engine);
        return appliedNow;
    }

    private async Task<DbTransaction> BeginLockedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (database.Engine == DatabaseEngine.Postgres)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@Key)", new { Key = AdvisoryLockKey }, transaction, cancellationToken: cancellationToken));
            return transaction;
        }

        // Microsoft.Data.Sqlite starts BEGIN IMMEDIATE unless asked for a deferred transaction: the write lock is ours now.
        return await connection.BeginTransactionAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration {Version} {Name} on {Engine}")]
    private partial void LogApplying(int version, string name, DatabaseEngine engine);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations done: {Applied} applied, {Skipped} already present ({Engine})")]
    private partial void LogDone(int applied, int skipped, DatabaseEngine engine);
}
