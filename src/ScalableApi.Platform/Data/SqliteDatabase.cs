using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ScalableApi.Platform.Data;

/// <summary>
/// One SQLite database in WAL mode: readers never block the writer, and a writer waits up to the busy
/// timeout for the lock instead of failing. Reads and writes use the same file (no replicas).
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(DatabaseOptions options)
    {
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
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
