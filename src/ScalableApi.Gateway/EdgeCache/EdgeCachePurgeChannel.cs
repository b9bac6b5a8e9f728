using ScalableApi.Platform.Caching;
using StackExchange.Redis;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// Purges between gateways over the Redis-protocol store: a write through one gateway publishes the surrogate keys
/// it changed (<c>sender|key key</c>, see <see cref="EdgePurges"/>), every other gateway purges them; a message
/// without keys empties the cache. While the subscription is down a purge may be lost, so hits are capped to a short age
/// (<see cref="EdgeCacheOptions.MaxAgeWhilePurgeChannelDown"/>) and the cache empties when it comes back. Without a
/// store there is nobody to tell: a single gateway.
/// </summary>
internal sealed partial class EdgeCachePurgeChannel(
    IServiceProvider services,
    IConfiguration configuration,
    EdgeCacheStore store,
    IOptions<EdgeCacheOptions> options,
    ILogger<EdgeCachePurgeChannel> logger) : IHostedService
{
    // Our own purges come back on the channel: they are recognised and not applied twice.
    private readonly string _self = Guid.NewGuid().ToString("N");
    private IConnectionMultiplexer? _redis;
    private volatile bool _up;
    private bool _subscribedOnce;

    /// <summary>Whether a purge published by any gateway is sure to reach this one.</summary>
    public bool Connected => _redis is null || _up;

    private RedisChannel Channel => RedisChannel.Literal(options.Value.PurgeChannel);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetRedisConnectionString() is null || !options.Value.Enabled)
        {
            return;
        }

        _redis = services.GetRequiredService<IConnectionMultiplexer>();
        _redis.ConnectionFailed += (_, e) =>
        {
            _up = false;
            LogChannelDown(e.ConnectionType.ToString());
        };
        _redis.ConnectionRestored += (_, _) => _ = SubscribeAsync();
        await SubscribeAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Tells the other gateways (no keys: everything); returns when the store has handed the message on (or failed to).</summary>
    public async Task PublishAsync(IReadOnlyCollection<string> keys)
    {
        if (_redis is null)
        {
            return;
        }

        try
        {
            await _redis.GetSubscriber().PublishAsync(Channel, EdgePurges.Message(_self, keys));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The others' subscriptions are down too, or soon will be: they cap their hits' age and flush on return.
            LogPublishFailed(ex);
        }
    }

    private async Task SubscribeAsync()
    {
        if (_redis is null)
        {
            return;
        }

        try
        {
            // Re-subscribing is harmless (the client keeps one handler per call: unsubscribe first).
            var subscriber = _redis.GetSubscriber();
            await subscriber.UnsubscribeAsync(Channel);
            await subscriber.SubscribeAsync(Channel, (_, message) =>
            {
                var (sender, keys) = EdgePurges.Parse(message.ToString());
                if (sender != _self)
                {
                    store.Purge(keys, "remote");
                }
            });
            var wasUp = _up;
            _up = _redis.IsConnected;
            if (!wasUp && _up && _subscribedOnce)
            {
                // Whatever was published while we could not hear it is lost: forget everything we hold.
                store.Purge("reconnect");
            }

            _subscribedOnce |= _up;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _up = false;
            LogChannelDown(ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge cache purge channel down ({Reason}): hits capped in age until it is back")]
    private partial void LogChannelDown(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge cache purge could not be published")]
    private partial void LogPublishFailed(Exception exception);
}
