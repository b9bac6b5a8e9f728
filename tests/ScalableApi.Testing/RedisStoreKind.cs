namespace ScalableApi.Testing;

/// <summary>The two Redis-protocol stores the product supports; shared-state suites run on both.</summary>
public enum RedisStoreKind
{
    /// <summary>Embedded Garnet, the AppHost's default store (always available).</summary>
    Garnet,

    /// <summary>A real redis-server: the one named by <see cref="TestRedis.EnvironmentVariable"/>, or a private process.</summary>
    RedisServer,
}
