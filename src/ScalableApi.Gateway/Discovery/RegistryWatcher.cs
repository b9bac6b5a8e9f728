using ScalableApi.Platform.Discovery;
using StackExchange.Redis;

namespace ScalableApi.Gateway.Discovery;

/// <summary>
/// Keeps the gateway's destinations equal to the live registrations: reconciles on every announcement
/// (pub/sub) and on a timer. When the store is unreachable it keeps the last known destinations; health
/// checks still take dead replicas out. When the connection comes back, the store may have restarted empty: for
/// <see cref="GatewayDiscoveryOptions.RestoreGrace"/> a reconcile adds replicas but removes none, so the registry
/// refilling by heartbeats is not an outage of every cluster.
/// </summary>
public sealed partial class RegistryWatcher(
    ServiceRegistry registry,
    IConnectionMultiplexer redis,
    DiscoveredDestinationsSource destinations,
    IConfiguration configuration,
    IOptions<GatewayDiscoveryOptions> options,
    TimeProvider time,
    ILogger<RegistryWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _reconcileSignal = new(0, 1);
    private DateTimeOffset _restoredAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += (_, _) =>
        {
            _restoredAt = time.GetUtcNow();
            Signal();
        };
        try
        {
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(DiscoveryKeys.Channel), (_, _) => Signal());
        }
        catch (RedisException ex)
        {
            LogReconcileFailed(ex); // the timer below still reconciles; the subscription is restored by the multiplexer
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await ReconcileAsync();
            try
            {
                await _reconcileSignal.WaitAsync(options.Value.ReconcileInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads every cluster's registrations and rewrites the discovered destinations if they changed.</summary>
    public async Task ReconcileAsync()
    {
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var cluster in configuration.GetSection("ReverseProxy:Clusters").GetChildren())
            {
                foreach (var instance in await registry.ListAsync(cluster.Key))
                {
                    var prefix = $"ReverseProxy:Clusters:{cluster.Key}:Destinations:{instance.Id}";
                    keys[$"{prefix}:Address"] = instance.Address;
                    keys[$"{prefix}:Metadata:Weight"] = instance.Weight.ToString(CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogReconcileFailed(ex);
            return;
        }

        if (time.GetUtcNow() - _restoredAt < options.Value.RestoreGrace)
        {
            foreach (var (key, value) in destinations.Provider.Current)
            {
                keys.TryAdd(key, value);
            }
        }

        if (destinations.Provider.Replace(keys))
        {
            LogChanged(keys.Count / 2);
        }
    }

    private void Signal()
    {
        if (_reconcileSignal.CurrentCount == 0)
        {
            try
            {
                _reconcileSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another announcement already queued a reconcile: one is enough.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discovered destinations changed: {Count} registered replicas")]
    private partial void LogChanged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the service registry; keeping the current destinations")]
    private partial void LogReconcileFailed(Exception exception);
}
