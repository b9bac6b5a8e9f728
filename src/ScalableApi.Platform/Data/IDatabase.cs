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

    /// <summary>A connection for a read of <paramref name="consistency"/>: the primary for latest, else a standby if there is one.</summary>
    ValueTask<DbConnection> OpenReadAsync(ReadConsistency consistency, CancellationToken cancellationToken) =>
        consistency == ReadConsistency.Latest ? OpenWriteAsync(cancellationToken) : OpenReadAsync(cancellationToken);
}
