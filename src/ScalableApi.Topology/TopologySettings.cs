namespace ScalableApi.Topology;

/// <summary>What one running topology shares: its store, its gateway, where data lives. Input of <see cref="TopologyEnvironment"/>.</summary>
public sealed record TopologySettings
{
    /// <summary>StackExchange.Redis configuration string of the Redis-protocol store; null: none (the process runs without one).</summary>
    public string? Redis { get; init; }

    /// <summary>The gateway's base URL: services fetch the signing keys through it (any healthy users replica answers).</summary>
    public required Uri Gateway { get; init; }

    /// <summary>Absolute folder of SQLite files and generated keys.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Connection string of a PostgreSQL server (each service gets its own database on it); null: SQLite files.</summary>
    public string? Postgres { get; init; }

    /// <summary>After SIGTERM, how long a process keeps serving while deregistered. Locally the gateway notices at once, so short.</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Tests and benchmarks: every client is one loopback address, so the gateway's per-IP and per-user limits are
    /// raised out of the way (the limits themselves are tested in the gateway's own suite). The failed logins per
    /// e-mail keep their configured limit: no load fails logins on one e-mail.
    /// </summary>
    public bool RaisedRateLimits { get; init; }

    /// <summary>The host environment (<c>Production</c>); null leaves it to the launcher.</summary>
    public string? EnvironmentName { get; init; }

    public string JwksUrl => new Uri(Gateway, "/.well-known/jwks.json").ToString();

    /// <summary>One line for banners, without passwords: where the services keep their data.</summary>
    public string DescribeStorage() => Postgres is null
        ? $"SQLite files in {DataDirectory}"
        : $"PostgreSQL databases {string.Join(", ", TopologyServices.Services.Select(TopologyServices.PostgresDatabase))}";
}
