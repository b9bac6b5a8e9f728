using Microsoft.Data.Sqlite;
using Npgsql;

namespace ScalableApi.Platform.Data;

/// <summary>Engine-neutral reading of database errors a handler turns into a 4xx.</summary>
public static class DbErrors
{
    /// <summary>True when the exception is a UNIQUE constraint violation on either engine.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>
    /// True when the database could not serve the request for now, and a retry may succeed: no pooled connection within
    /// the connection timeout (the pool is exhausted), a host unreachable, a timeout (Npgsql's <c>IsTransient</c>), the
    /// server shutting down or starting up (57P01..57P03) or a connection lost (class 08), no primary to write to
    /// (<see cref="DatabaseUnavailableException"/>).
    /// </summary>
    /// <remarks>
    /// A multi-host data source reports "Unable to connect to a suitable host" around one such error per host.
    /// </remarks>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        DatabaseUnavailableException => true,
        PostgresException pg => pg.IsTransient || IsConnectionState(pg.SqlState),
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: AggregateException perHost } => perHost.InnerExceptions.Count > 0 && perHost.InnerExceptions.All(IsUnavailable),
        NpgsqlException { InnerException: { } inner } => IsUnavailable(inner),
        System.Net.Sockets.SocketException => true,
        _ => false,
    };

    // 08xxx: connection exception; 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up,
    // shutting down, in recovery).
    private static bool IsConnectionState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03";

    /// <summary>True when the exception is a FOREIGN KEY violation on either engine.</summary>
    public static bool IsForeignKeyViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 787,
        _ => false,
    };
}
