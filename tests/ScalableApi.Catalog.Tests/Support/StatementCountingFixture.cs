using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ScalableApi.Platform.Data;
using ScalableApi.Testing;
using SQLitePCL;

namespace ScalableApi.Catalog.Tests.Support;

/// <summary>
/// The catalog on SQLite with every SQL statement the service runs counted: Microsoft.Data.Sqlite has no
/// tracing of its own, so each connection the service opens gets SQLite's trace hook (<c>sqlite3_trace</c>).
/// The platform's per-connection PRAGMAs are not counted: whether they are traced depends on whether the pool
/// hands out a connection that already has the hook, which would make counts differ for no reason of ours.
/// </summary>
public sealed class StatementCountingSqliteFixture() : StatementCountingSqliteFactory;

/// <summary>The counting catalog on SQLite, to derive from when a test needs more settings (a Redis store, a shared database).</summary>
public class StatementCountingSqliteFactory() : ServiceFactory<Program>(DatabaseEngine.Sqlite)
{
    private long _statements;
    private long _readOpens;
    private long _writeOpens;

    public long Statements => Interlocked.Read(ref _statements);

    /// <summary>Connections opened with <see cref="IDatabase.OpenReadAsync"/> (replica or primary).</summary>
    public long ReadOpens => Interlocked.Read(ref _readOpens);

    /// <summary>Connections opened with <see cref="IDatabase.OpenWriteAsync"/> (always the primary).</summary>
    public long WriteOpens => Interlocked.Read(ref _writeOpens);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
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

    private sealed class TracedDatabase(IDatabase inner, StatementCountingSqliteFactory owner) : IDatabase
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
            return Trace(await inner.OpenReadAsync(cancellationToken));
        }

        private DbConnection Trace(DbConnection connection)
        {
            raw.sqlite3_trace(((SqliteConnection)connection).Handle, (strdelegate_trace)((_, sql) => owner.Count(sql)), null);
            return connection;
        }
    }
}
