namespace ScalableApi.Platform;

/// <summary>Where the Redis-protocol store is configured: one key, read one way by every process.</summary>
public static class StoreConfiguration
{
    /// <summary>The connection string's name: <c>ConnectionStrings:redis</c> (environment <c>ConnectionStrings__redis</c>).</summary>
    public const string ConnectionStringName = "redis";

    /// <summary>The StackExchange.Redis configuration string, or null when no store is configured (blank counts as none).</summary>
    public static string? GetRedisConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
