using StackExchange.Redis;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// Tells every gateway to empty its edge cache: for changes that reach the database without a write passing a
/// gateway (a cascade run by an event), which the gateways' own write purges cannot see.
/// </summary>
public static class EdgePurges
{
    /// <summary>The gateways' default <c>Gateway:EdgeCache:PurgeChannel</c>.</summary>
    public const string Channel = "scalableapi:edge-cache:purge";

    /// <summary>Publishes a purge when a store is configured; a store that is down is not an error (gateways then cap their hits' age).</summary>
    public static async Task PublishAsync(IServiceProvider services, string source)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), source);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The gateways' subscriptions are down too: they refuse old hits and flush when they reconnect.
        }
    }
}
