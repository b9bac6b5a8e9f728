using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using ScalableApi.Platform.Data;
using SQLitePCL;

namespace ScalableApi.Testing;

/// <summary>
/// A service on SQLite with every SQL statement it runs counted: Microsoft.Data.Sqlite has no tracing of its own,
/// so each connection the service opens gets SQLite's trace hook (<c>sqlite3_trace</c>). The platform's
/// per-connection PRAGMAs are not counted: whether they are traced depends on whether the pool hands out a
/// connection that already has the hook, which would make counts differ for no reason of ours.
/// <para>
/// <see cref="FreezeReadReplicaAsync"/> turns the read side into a lagging replica: reads then go to a copy of the
/// database taken at that moment, while writes keep going to the primary (the way a standby behind on replay looks).
/// </para>
/// </summary>
public class StatementCountingFactory<TProgram>() : ServiceFactory<TProgram>(DatabaseEngine.Sqlite)
    where TProgram : class
{
    private long _statements;
    private long _readOpens;
    private long _writeOpens;
    private volatile string? _laggingReplica;

    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>Connections opened with <see cref="IDatabase.OpenReadAsync"/> (replica or primary).</summary>
    public long ReadOpens => Interlocked.Read(ref _readOpens);

    /// <summary>Connections opened with <see cref="IDatabase.OpenWriteAsync"/> (always the primary).</summary>
    public long WriteOpens => Interlocked.Read(ref _writeOpens);

    /// <summary>
    /// From now on reads see the database as it is now, whatever is written later: a snapshot (<c>VACUUM INTO</c>)
    /// of the primary. Replicas sharing one database can share one snapshot: pass the path another returned.
    /// </summary>
    public async Task<string> FreezeReadReplicaAsync(string? snapshot = null)
    {
        if (snapshot is null)
        {
            snapshot = Path.Combine(Path.GetDirectoryName(new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource)!,
                "replica-" + Guid.NewGuid().ToString("N")[..8] + ".db");
            await using var primary = new SqliteConnection(Database.ConnectionString);
            await primary.OpenAsync();
            await using var command = primary.CreateCommand();
            command.CommandText = "VACUUM INTO @path";
            command.Parameters.AddWithValue("@path", snapshot);
            await command.ExecuteNonQueryAsync();
        }

        _laggingReplica = $"Data Source={snapshot};Mode=ReadOnly";
        return snapshot;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // A job worker polls its table every second: statements no request made. Counting services run none (a
        // subclass's settings, applied after this, can turn it back on).
        builder.UseSetting("Jobs:WorkerEnabled", "false");
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var original = services.Last(d => d.ServiceType == typeof(IDatabase));
            services.Remove(original);
            services.AddSingleton<IDatabase>(sp => new TracedDatabase((IDatabase)original.ImplementationFactory!(sp), this));
        });
    }

    private void Count(string sql)
    {
        if (!sql.TrimStart().StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _statements);
        }
    }

    private sealed class TracedDatabase(IDatabase inner, StatementCountingFactory<TProgram> owner) : IDatabase
    {
        public DatabaseEngine Engine => inner.Engine;

        public async ValueTask<DbConnection> OpenWriteAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._writeOpens);
            return Trace(await inner.OpenWriteAsync(cancellationToken));
        }

        public async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._readOpens);
            if (owner._laggingReplica is { } replica)
            {
                var lagging = new SqliteConnection(replica);
                await lagging.OpenAsync(cancellationToken);
                return Trace(lagging);
            }

            return Trace(await inner.OpenReadAsync(cancellationToken));
        }

        /// <summary>
        /// Like a standby: the lagging replica serves a read unless the read's token is past the version it was
        /// frozen at (then the primary does), and a cache fill from it is current only to that version.
        /// </summary>
        public async ValueTask<DbConnection> OpenReadAsync(ReadConsistency consistency, CancellationToken cancellationToken)
        {
            if (consistency.IsLatest)
            {
                return await OpenWriteAsync(cancellationToken);
            }

            Interlocked.Increment(ref owner._readOpens);
            if (owner._laggingReplica is not { } replica)
            {
                return Trace(await inner.OpenReadAsync(consistency, cancellationToken));
            }

            // Asked before the trace hook goes on: the tests count the service's statements, not this one.
            var lagging = new SqliteConnection(replica);
            await lagging.OpenAsync(cancellationToken);
            long frozenAt;
            await using (var command = lagging.CreateCommand())
            {
                command.CommandText = "SELECT coalesce((SELECT position FROM platform_consistency WHERE id = 1), 0)";
                frozenAt = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            }

            if (consistency.SatisfiedBy(frozenAt))
            {
                ScalableApi.Platform.Data.Consistency.ReadPositions.Record(frozenAt);
                return Trace(lagging);
            }

            await lagging.DisposeAsync();
            return Trace(await inner.OpenReadAsync(ReadConsistency.Latest, cancellationToken));
        }

        public Task<long> CommitPositionAsync(CancellationToken cancellationToken) => inner.CommitPositionAsync(cancellationToken);

        private DbConnection Trace(DbConnection connection)
        {
            raw.sqlite3_trace(((SqliteConnection)connection).Handle, (strdelegate_trace)((_, sql) => owner.Count(sql)), null);
            return connection;
        }
    }
}

/// <summary>
/// One replica of a service with the full platform cache (memory L1, Redis L2, backplane) on a test store. Replicas
/// started together by <see cref="CachedReplicas.StartAsync{T}"/> share the first one's database and one cache name,
/// forming one deployment; the unique name keeps tests apart on a shared redis-server (every test database starts at id 1).
/// </summary>
public class CachedReplica<TProgram>(string redis, string cacheName, CachedReplica<TProgram>? sharing) : StatementCountingFactory<TProgram>
    where TProgram : class
{
    public string CacheName => cacheName;

    /// <summary>Settings a subclass adds (tests' shorter circuit breakers, say).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings => [];

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings
    {
        get
        {
            yield return new("ConnectionStrings:redis", redis);
            yield return new("Caching:Name", cacheName);
            // Revocation markers of users other suites deleted (ids start at 1 everywhere) are not this deployment's.
            yield return new("Auth:Revocation:KeyPrefix", cacheName + ":");
            if (sharing is not null)
            {
                yield return new("Database:ConnectionString", sharing.Database.ConnectionString);
            }

            foreach (var setting in MoreSettings)
            {
                yield return setting;
            }
        }
    }
}

/// <summary>Starting a deployment of <see cref="CachedReplica{TProgram}"/>s.</summary>
public static class CachedReplicas
{
    /// <summary>Starts replicas 1..<paramref name="count"/> of one deployment; <paramref name="create"/> gets the cache name and the replica owning the database.</summary>
    public static async Task<Deployment<T>> StartAsync<T>(int count, string service, Func<string, T?, T> create)
        where T : class, IAsyncLifetime
    {
        var name = service + "-test-" + Guid.NewGuid().ToString("N")[..12];
        var deployment = new Deployment<T>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var replica = create(name, i == 0 ? null : deployment[0]);
                await replica.InitializeAsync();
                deployment.Add(replica);
            }
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }

        return deployment;
    }

    /// <summary>
    /// As <see cref="StartAsync{T}"/>, on a store of <paramref name="kind"/> started for this deployment alone:
    /// disposing the deployment stops the store too, after the replicas.
    /// </summary>
    public static async Task<Deployment<T>> StartOnOwnStoreAsync<T>(RedisStoreKind kind, int count, string service, Func<TestRedis, string, T?, T> create)
        where T : class, IAsyncLifetime
    {
        var store = TestRedis.Start(kind);
        try
        {
            var deployment = await StartAsync<T>(count, service, (name, sharing) => create(store, name, sharing));
            deployment.Store = store;
            return deployment;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}

/// <summary>
/// Replicas of one service started together (see <see cref="CachedReplicas.StartAsync{T}"/>): <c>await using</c> it,
/// and disposing stops them, the one owning the database last.
/// </summary>
public sealed class Deployment<T> : IReadOnlyList<T>, IAsyncDisposable
    where T : IAsyncLifetime
{
    private readonly List<T> _replicas = [];

    public int Count => _replicas.Count;

    public T this[int index] => _replicas[index];

    public IEnumerator<T> GetEnumerator() => _replicas.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public async ValueTask DisposeAsync()
    {
        for (var i = _replicas.Count - 1; i >= 0; i--)
        {
            await _replicas[i].DisposeAsync();
        }

        _replicas.Clear();
        Store?.Dispose();
        Store = null;
    }

    /// <summary>The store this deployment started for itself (<see cref="CachedReplicas.StartOnOwnStoreAsync{T}"/>), if any.</summary>
    internal TestRedis? Store { get; set; }

    internal void Add(T replica) => _replicas.Add(replica);
}
