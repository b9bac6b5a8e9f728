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
    EdgeCacheMetrics metrics,
    IOptions<EdgeCacheOptions> options,
    ILogger<EdgeCachePurgeChannel> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>How often a channel marked down is looked at again (a restore event may never come: see <see cref="HealAsync"/>).</summary>
    private static readonly TimeSpan HealInterval = TimeSpan.FromSeconds(1);

    // Our own purges come back on the channel: they are recognised and not applied twice.
    private readonly string _self = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IConnectionMultiplexer? _redis;
    private Task _healing = Task.CompletedTask;
    private volatile bool _up;
    private bool _attempted;
    private int _disposed;

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
        metrics.ObservePurgeChannel(() => Connected);
        // Only the subscription's connection carries purges to us (with RESP3 it is the interactive one): a failed
        // interactive connection under RESP2 loses none, and must not flush the cache when it comes back.
        _redis.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription || !_redis.GetSubscriber().IsConnected(Channel))
            {
                _up = false;
                LogChannelDown(e.ConnectionType.ToString());
            }
        };
        _redis.ConnectionRestored += (_, _) => _ = SubscribeAsync();
        await SubscribeAsync();
        _healing = HealAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return; // a test host may dispose the container before it stops the hosted services
        }

        await _stopping.CancelAsync();
        await _healing;
    }

    /// <summary>Idempotent: the container holds this instance twice (as itself and as the hosted service).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _healing;
        _stopping.Dispose();
        _subscribing.Dispose();
    }

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

    /// <summary>
    /// (Re)subscribes, and empties the cache when the channel comes back from down: whatever was published while we
    /// could not hear it is lost. Serialised: a restore event and the heal loop may both get here.
    /// </summary>
    private async Task SubscribeAsync()
    {
        if (_redis is null)
        {
            return;
        }

        await _subscribing.WaitAsync();
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
            // The subscription's own connection, not "any connection of the multiplexer": that one was the
            // interactive connection, and a gateway whose first subscribe raced its connect stayed capped for good.
            var up = subscriber.IsConnected(Channel);
            if (!wasUp && up && _attempted)
            {
                store.Purge("reconnect");
            }

            _up = up;
            _attempted = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _up = false;
            _attempted = true;
            LogChannelDown(ex.GetType().Name);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    /// <summary>
    /// Looks again at a channel marked down, once a second: the client raises <c>ConnectionRestored</c> only for a
    /// connection that had failed, so one that never came up at start (or whose restore raced the subscribe) would
    /// otherwise keep every hit capped to <see cref="EdgeCacheOptions.MaxAgeWhilePurgeChannelDown"/> for good.
    /// </summary>
    private async Task HealAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(HealInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                if (!_up && _redis?.GetSubscriber().IsConnected(Channel) == true)
                {
                    await SubscribeAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge cache purge channel down ({Reason}): hits capped in age until it is back")]
    private partial void LogChannelDown(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge cache purge could not be published")]
    private partial void LogPublishFailed(Exception exception);
}
