using System.Data.Common;

namespace ScalableApi.Platform.Data;

/// <summary>
/// The one data-access entry point a service sees: a write connection (always the primary) and a
/// read connection (a replica when there is one, else the primary). Connections are pooled; dispose them.
/// </summary>
public interface IDatabase
{
    DatabaseEngine Engine { get; }

    /// <summary>An open connection to the primary, for writes and for reads that must see them.</summary>
    ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken = default);

    /// <summary>An open connection for reads that tolerate replica lag.</summary>
    ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A connection for a read of <paramref name="consistency"/>: the primary for latest; for a read at least at a
    /// position, a standby that has replayed it, else the primary; else a standby if there is one. Inside a
    /// <see cref="Consistency.ReadPositions"/> scope (a cache fill) it reports the position the read is current to.
    /// </summary>
    ValueTask<DbConnection> OpenReadAsync(ReadConsistency consistency, CancellationToken cancellationToken) =>
        consistency == ReadConsistency.Latest ? OpenWriteAsync(cancellationToken) : OpenReadAsync(cancellationToken);

    /// <summary>
    /// A position at or after every write committed so far (PostgreSQL: the WAL insert position; SQLite: the next value
    /// of a version the database keeps): a write's consistency token, taken after its commit.
    /// </summary>
    Task<long> CommitPositionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/> on a connection for <paramref name="consistency"/>. PostgreSQL: when a standby took
    /// the read and failed it for a reason of its own (it went away under a pooled session, a recovery conflict), the
    /// read runs once more on the primary, so a standby outage costs the caller nothing.
    /// </summary>
    async Task<T> ReadAsync<T>(ReadConsistency consistency, Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(consistency, cancellationToken);
        return await read(connection);
    }
}
