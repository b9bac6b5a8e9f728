using System.Data.Common;
using Microsoft.Data.Sqlite;
using ScalableApi.Platform.Data.Consistency;

namespace ScalableApi.Platform.Data;

/// <summary>
/// One SQLite database in WAL mode: readers never block the writer, and a writer waits up to the busy
/// timeout for the lock instead of failing. Reads and writes use the same file (no replicas).
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    /// <summary>
    /// The version a write's token names: one row, incremented under SQLite's write lock after each write, so it only
    /// grows, whichever process (replica) writes. Made on first use: it is the platform's, not a service migration's.
    /// </summary>
    internal const string CreatePositionSql =
        "CREATE TABLE IF NOT EXISTS platform_consistency (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL);";

    internal const string CommitPositionSql = """
        INSERT INTO platform_consistency (id, position) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET position = position + 1 RETURNING position;
        """;

    internal const string PositionSql = "SELECT position FROM platform_consistency WHERE id = 1";

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly ConsistencyClock _clock;

    public SqliteDatabase(DatabaseOptions options, ConsistencyClock? clock = null)
    {
        _clock = clock ?? new ConsistencyClock();
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = true,
            DefaultTimeout = options.CommandTimeoutSeconds,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory) && builder.Mode != SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = builder.ToString();
        // Per connection: pooled connections keep them, but setting them is cheap and makes a fresh one right.
        _pragmas = $"PRAGMA busy_timeout = {options.BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
    }

    public DatabaseEngine Engine => DatabaseEngine.Sqlite;

    public ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken = default) => OpenAsync(cancellationToken);

    public ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default) => OpenAsync(cancellationToken);

    /// <summary>
    /// One file, so every read is latest; a cache fill reports the version before it reads (what its entry is current
    /// to), read on the same connection: a local query, made only for fills.
    /// </summary>
    public async ValueTask<DbConnection> OpenReadAsync(ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        if (ReadPositions.Active)
        {
            using var command = connection.CreateCommand();
            command.CommandText = PositionSql;
            try
            {
                ReadPositions.Record(await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0);
            }
            catch (SqliteException)
            {
                // No table (a database the migrations have not prepared): an entry current to nothing, never wrong.
                ReadPositions.Record(0);
            }
        }

        return connection;
    }

    public async Task<long> CommitPositionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Made here as well as at start-up: a database opened past the migration runner (a decorated one) has it too.
        command.CommandText = CreatePositionSql + CommitPositionSql;
        var position = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        _clock.Observe(position);
        return position;
    }

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Switches the file to WAL journaling; persistent, so it is done once at start-up.</summary>
    internal async Task EnableWriteAheadLogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; " + CreatePositionSql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
