namespace ScalableApi.Platform.Data;

/// <summary>
/// Configuration section <c>Database</c>. With no connection string a service uses SQLite at
/// <c>{Platform:DataDirectory}/{service}.db</c>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>sqlite</c> or <c>postgres</c>; inferred from the connection string when empty.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// ADO.NET connection string. PostgreSQL may list several hosts (<c>Host=p:5432,r1:5432</c>):
    /// writes go to the primary, reads prefer a standby.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Maximum pooled connections per data source (PostgreSQL).</summary>
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>Minimum pooled connections kept open (PostgreSQL).</summary>
    public int MinPoolSize { get; set; }

    /// <summary>Seconds to wait for a pooled connection before failing.</summary>
    public int ConnectionTimeoutSeconds { get; set; } = 5;

    /// <summary>Seconds a command may run.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>SQLite: milliseconds a writer waits for the database lock before SQLITE_BUSY.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;
}
