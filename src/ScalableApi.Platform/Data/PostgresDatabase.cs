using System.Data.Common;
using Npgsql;

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

    private readonly DatabaseMetrics? _metrics;
    private readonly bool _multiHost;

    public PostgresDatabase(DatabaseOptions options, DatabaseMetrics? metrics = null)
    {
        _metrics = metrics;
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
        await _primary.OpenConnectionAsync(cancellationToken);

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

    public async ValueTask<DbConnection> OpenReadAsync(ReadConsistency consistency, CancellationToken cancellationToken)
    {
        if (consistency != ReadConsistency.Latest)
        {
            return await OpenReadAsync(cancellationToken);
        }

        var connection = await _primary.OpenConnectionAsync(cancellationToken);
        _metrics?.Read(onStandby: false, DatabaseMetrics.Latest);
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

        await using var primary = await _primary.OpenConnectionAsync(cancellationToken);
        _metrics?.Read(onStandby: false, DatabaseMetrics.StandbyFailed);
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
