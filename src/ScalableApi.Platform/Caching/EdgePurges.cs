using StackExchange.Redis;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// Tells every gateway to purge its edge cache: for changes that reach the database without a write passing a
/// gateway (a cascade run by an event), which the gateways' own write purges cannot see. A message is
/// <c>sender|key key ...</c> (surrogate keys, space-separated); one without <c>|</c> or keys purges everything.
/// </summary>
public static class EdgePurges
{
    /// <summary>The default of the gateways' <c>Gateway:EdgeCache:PurgeChannel</c> and the services' <c>Caching:EdgePurgeChannel</c>.</summary>
    public const string Channel = "scalableapi:edge-cache:purge";

    /// <summary>
    /// Most keys one purge names; a write or cascade that changed more purges everything instead (a handful of
    /// kilobytes in a response header, far below a proxy's limit; with the gateway's 8192 slots, far more keys would
    /// purge nearly everything anyway).
    /// </summary>
    public const int MaxKeys = 512;

    /// <summary>Publishes a purge of everything when a store is configured; a store that is down is not an error (gateways then cap their hits' age).</summary>
    public static Task PublishAsync(IServiceProvider services, string source) => PublishAsync(services, source, []);

    /// <summary>
    /// Publishes a purge of these surrogate keys (none, or more than <see cref="MaxKeys"/>: everything) on
    /// <see cref="CachingOptions.EdgePurgeChannel"/>.
    /// </summary>
    public static async Task PublishAsync(IServiceProvider services, string source, IReadOnlyCollection<string> keys)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return;
        }

        try
        {
            var channel = services.GetService<IOptions<CachingOptions>>()?.Value.EdgePurgeChannel ?? Channel;
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), Message(source, keys.Count > MaxKeys ? [] : keys));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The gateways' subscriptions are down too: they refuse old hits and flush when they reconnect.
        }
    }

    public static string Message(string sender, IReadOnlyCollection<string> keys) =>
        keys.Count == 0 ? sender : sender + "|" + string.Join(' ', keys);

    /// <summary>The sender and the keys of a message; no keys means everything.</summary>
    public static (string Sender, string[] Keys) Parse(string message)
    {
        var bar = message.IndexOf('|', StringComparison.Ordinal);
        return bar < 0
            ? (message, [])
            : (message[..bar], message[(bar + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
