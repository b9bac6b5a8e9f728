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

    /// <summary>True when the exception is a FOREIGN KEY violation on either engine.</summary>
    public static bool IsForeignKeyViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode == 787,
        _ => false,
    };
}
