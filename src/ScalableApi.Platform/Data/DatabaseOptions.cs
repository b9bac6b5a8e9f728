namespace ScalableApi.Platform.Data;

/// <summary>
/// Configuration section <c>Database</c>. With no connection string a service uses SQLite at
/// <c>{Platform:DataDirectory}/{service}.db</c>.
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";

    /// <summary><c>sqlite</c> or <c>postgres</c>; inferred from the connection string when empty.</summary>
    [RegularExpression("^(?i:sqlite|postgres)$", ErrorMessage = "must be sqlite or postgres")]
    public string? Provider { get; set; }

    /// <summary>
    /// ADO.NET connection string. PostgreSQL may list several hosts (<c>Host=p:5432,r1:5432</c>):
    /// writes go to the primary, reads prefer a standby.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Maximum pooled connections per data source (PostgreSQL).</summary>
    [Range(1, 10_000, ErrorMessage = "must be from 1 to 10000")]
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>Minimum pooled connections kept open (PostgreSQL).</summary>
    [Range(0, 10_000, ErrorMessage = "must be from 0 to 10000 (and at most MaxPoolSize)")]
    public int MinPoolSize { get; set; }

    /// <summary>Seconds to wait for a pooled connection before failing.</summary>
    [Range(1, 600, ErrorMessage = "must be from 1 to 600 seconds")]
    public int ConnectionTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// PostgreSQL: seconds an idle pooled connection (above MinPoolSize) is kept before it is closed. At least Npgsql's
    /// pruning interval (10 s), which it refuses to exceed.
    /// </summary>
    [Range(10, 86_400, ErrorMessage = "must be from 10 to 86400 seconds")]
    public int ConnectionIdleLifetimeSeconds { get; set; } = 300;

    /// <summary>
    /// PostgreSQL: seconds after which a connection is closed on its return to the pool, so a long-lived pool re-resolves
    /// and rebalances hosts (a standby added, a failover behind a DNS name); 0 keeps connections for ever.
    /// </summary>
    [Range(0, 86_400, ErrorMessage = "must be from 0 (no limit) to 86400 seconds")]
    public int ConnectionLifetimeSeconds { get; set; }

    /// <summary>Seconds a command may run.</summary>
    [Range(1, 3600, ErrorMessage = "must be from 1 to 3600 seconds")]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// PostgreSQL: milliseconds a standby's replay position, once asked, answers consistency-token checks before it is
    /// asked again (a read whose token the cached position already reaches never asks).
    /// </summary>
    [Range(0, 10_000, ErrorMessage = "must be from 0 to 10000 ms")]
    public int ReplayCheckMilliseconds { get; set; } = 5;

    /// <summary>
    /// PostgreSQL: a standby whose replay lag (checked with its replay position, at most every ReplayCheckMilliseconds)
    /// exceeds this many milliseconds is skipped: reads that allow a standby go to the primary until it catches up.
    /// 0 turns the bound off.
    /// </summary>
    [Range(0, 3_600_000, ErrorMessage = "must be from 0 (no bound) to 3600000 ms")]
    public int MaxStandbyLagMilliseconds { get; set; } = 5000;

    /// <summary>SQLite: milliseconds a writer waits for the database lock before SQLITE_BUSY.</summary>
    [Range(0, 600_000, ErrorMessage = "must be from 0 to 600000 ms")]
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinPoolSize > MaxPoolSize)
        {
            yield return new ValidationResult($"must be at most MaxPoolSize ({MaxPoolSize})", [nameof(MinPoolSize)]);
        }
    }
}
