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
    /// the connection timeout (the pool is exhausted), a host unreachable, a timeout (Npgsql's <c>IsTransient</c>).
    /// </summary>
    /// <remarks>
    /// A multi-host data source reports "Unable to connect to a suitable host" around one such error per host.
    /// </remarks>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: AggregateException perHost } => perHost.InnerExceptions.Count > 0 && perHost.InnerExceptions.All(IsUnavailable),
        _ => false,
    };

    /// <summary>True when the exception is a FOREIGN KEY violation on either engine.</summary>
    public static bool IsForeignKeyViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 787,
        _ => false,
    };
}
