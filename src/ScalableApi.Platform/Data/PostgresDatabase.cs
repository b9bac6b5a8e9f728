using System.Data.Common;
using Npgsql;
using ScalableApi.Platform.Data.Consistency;

namespace ScalableApi.Platform.Data;

/// <summary>
/// PostgreSQL through one Npgsql multi-host data source: writes target the primary, reads prefer a
/// standby and fall back to the primary when none is up.
/// </summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private readonly NpgsqlMultiHostDataSource _dataSource;
    private readonly NpgsqlDataSource _primary;
    private readonly NpgsqlDataSource _reader;

    internal const string CommitPositionSql = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint";

    private readonly DatabaseMetrics? _metrics;
    private readonly ConsistencyClock _clock;
    private readonly StandbyReplay _replay;
    private readonly bool _multiHost;
    private readonly double _maxLagSeconds;

    public PostgresDatabase(DatabaseOptions options, DatabaseMetrics? metrics = null, ConsistencyClock? clock = null, StandbyReplay? replay = null)
    {
        _metrics = metrics;
        _clock = clock ?? new ConsistencyClock();
        _replay = replay ?? new StandbyReplay(options.ReplayCheckMilliseconds, meterFactory: null);
        _maxLagSeconds = options.MaxStandbyLagMilliseconds / 1000.0;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var cs = builder.ConnectionStringBuilder;
        cs.MaxPoolSize = options.MaxPoolSize;
        cs.MinPoolSize = options.MinPoolSize;
        cs.Timeout = options.ConnectionTimeoutSeconds;
        cs.CommandTimeout = options.CommandTimeoutSeconds;
        cs.ConnectionIdleLifetime = options.ConnectionIdleLifetimeSeconds;
        cs.ConnectionLifetime = options.ConnectionLifetimeSeconds;
        _multiHost = cs.Host?.Contains(',', StringComparison.Ordinal) == true;
        _dataSource = builder.BuildMultiHost();
        _primary = _dataSource.WithTargetSession(TargetSessionAttributes.Primary);
        _reader = _dataSource.WithTargetSession(TargetSessionAttributes.PreferStandby);
    }

    public DatabaseEngine Engine => DatabaseEngine.Postgres;

    /// <summary>The underlying data source, for health checks and metrics.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public async ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken = default) =>
        await OpenPrimarySessionAsync(cancellationToken);

    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _reader.OpenConnectionAsync(cancellationToken);
        if (_metrics is not null)
        {
            var onStandby = IsStandby(connection);
            _metrics.Read(onStandby, onStandby ? DatabaseMetrics.Standby : _multiHost ? DatabaseMetrics.StandbyUnavailable : DatabaseMetrics.NoStandby);
        }

        return connection;
    }

    /// <summary>
    /// Latest: the primary. Otherwise a standby if one answers; a read at least at a position keeps it only if its
    /// replay has reached the position (<see cref="StandbyReplay"/>), else takes the primary (<c>token_ahead</c>). Inside
    /// a cache fill the read reports what it is current to: the standby's replay position, or for the primary the
    /// position this process knew committed before the read began.
    /// </summary>
    public async ValueTask<DbConnection> OpenReadAsync(ReadConsistency consistency, CancellationToken cancellationToken)
    {
        var known = _clock.Known;
        if (consistency.IsLatest)
        {
            return await OpenPrimaryAsync(known, DatabaseMetrics.Latest, cancellationToken);
        }

        var connection = (NpgsqlConnection)await _reader.OpenConnectionAsync(cancellationToken);
        if (!IsStandby(connection))
        {
            _metrics?.Read(onStandby: false, _multiHost ? DatabaseMetrics.StandbyUnavailable : DatabaseMetrics.NoStandby);
            ReadPositions.Record(known);
            return connection;
        }

        var boundLag = _maxLagSeconds > 0;
        if (consistency.MinPosition == 0 && !ReadPositions.Active && !boundLag)
        {
            _metrics?.Read(onStandby: true, DatabaseMetrics.Standby);
            return connection;
        }

        long replayed;
        double lag;
        try
        {
            // A fill (no token) wants a recent position to claim; a token wants one that reaches it.
            (replayed, lag) = await _replay.StateAsync(connection, consistency.MinPosition == 0 ? long.MaxValue : consistency.MinPosition, boundLag, cancellationToken);
        }
        catch (Exception e) when (DbErrors.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            return await OpenPrimaryAsync(known, DatabaseMetrics.StandbyFailed, cancellationToken);
        }

        // A read whose token the standby reached has what it needs; a read without one must not see data older than the bound.
        if (boundLag && lag > _maxLagSeconds && consistency.MinPosition == 0)
        {
            await connection.DisposeAsync();
            return await OpenPrimaryAsync(known, DatabaseMetrics.StandbyLagging, cancellationToken);
        }

        if (replayed >= consistency.MinPosition)
        {
            _metrics?.Read(onStandby: true, DatabaseMetrics.Standby);
            ReadPositions.Record(replayed);
            return connection;
        }

        await connection.DisposeAsync();
        return await OpenPrimaryAsync(known, DatabaseMetrics.TokenAhead, cancellationToken);
    }

    public async Task<long> CommitPositionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenPrimarySessionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(CommitPositionSql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// A session on the primary. While the primary is down a multi-host source knows it offline and, between its
    /// rechecks (Host Recheck Seconds), fails at once with a bare "No suitable host was found": that is the primary
    /// unavailable (503), not an unexpected error (500).
    /// </summary>
    private async ValueTask<NpgsqlConnection> OpenPrimarySessionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _primary.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (_multiHost && e is not PostgresException && e.InnerException is null)
        {
            throw new DatabaseUnavailableException("No primary among the database hosts is reachable.", e);
        }
    }

    private async ValueTask<DbConnection> OpenPrimaryAsync(long known, string reason, CancellationToken cancellationToken)
    {
        var connection = await OpenPrimarySessionAsync(cancellationToken);
        _metrics?.Read(onStandby: false, reason);
        ReadPositions.Record(known);
        return connection;
    }

    public async Task<T> ReadAsync<T>(ReadConsistency consistency, Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        bool onStandby;
        await using (var connection = (NpgsqlConnection)await OpenReadAsync(consistency, cancellationToken))
        {
            onStandby = IsStandby(connection);
            try
            {
                return await read(connection);
            }
            catch (Exception e) when (onStandby && DbErrors.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                // Npgsql learns a standby is gone only when a pooled session to it breaks; it then marks the host
                // offline, and the retry below (like every read after it) gets the primary.
            }
        }

        await using var primary = await OpenPrimaryAsync(_clock.Known, DatabaseMetrics.StandbyFailed, cancellationToken);
        return await read(primary);
    }

    /// <summary>
    /// PostgreSQL 14+ reports <c>in_hot_standby</c> with every session (and again when it changes, on promotion): no
    /// round trip to tell a standby from the primary.
    /// </summary>
    private static bool IsStandby(NpgsqlConnection connection) =>
        connection.PostgresParameters.TryGetValue("in_hot_standby", out var value) && value == "on";

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
