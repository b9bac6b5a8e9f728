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

    public PostgresDatabase(DatabaseOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var cs = builder.ConnectionStringBuilder;
        cs.MaxPoolSize = options.MaxPoolSize;
        cs.MinPoolSize = options.MinPoolSize;
        cs.Timeout = options.ConnectionTimeoutSeconds;
        cs.CommandTimeout = options.CommandTimeoutSeconds;
        cs.ConnectionIdleLifetime = options.ConnectionIdleLifetimeSeconds;
        cs.ConnectionLifetime = options.ConnectionLifetimeSeconds;
        _dataSource = builder.BuildMultiHost();
        _primary = _dataSource.WithTargetSession(TargetSessionAttributes.Primary);
        _reader = _dataSource.WithTargetSession(TargetSessionAttributes.PreferStandby);
    }

    public DatabaseEngine Engine => DatabaseEngine.Postgres;

    /// <summary>The underlying data source, for health checks and metrics.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public async ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken = default) =>
        await _primary.OpenConnectionAsync(cancellationToken);

    public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default) =>
        await _reader.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
