using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScalableApi.Platform.Hosting;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Discovery;

/// <summary>
/// Registers this replica once it listens, renews the registration every heartbeat, and leaves on graceful
/// stop before the server drains, so gateways stop sending new requests while in-flight ones finish.
/// A store outage only pauses heartbeats: the loop keeps trying, and the registration is restored on recovery, at
/// once when the connection comes back (a store that restarted has lost it; gateways hear the announcement).
/// </summary>
internal sealed partial class ServiceRegistrar(
    ServiceRegistry registry,
    StackExchange.Redis.IConnectionMultiplexer redis,
    IServer server,
    IHostApplicationLifetime lifetime,
    DrainState drain,
    IOptions<DiscoveryOptions> options,
    IOptions<PlatformOptions> platform,
    IOptions<MetricsOptions> metrics,
    ILogger<ServiceRegistrar> logger) : BackgroundService
{
    private ServiceInstance? _instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        var address = options.Value.Address ?? ListeningAddress();
        if (address is null)
        {
            LogNoAddress();
            return;
        }

        _instance = new ServiceInstance(
            $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}",
            platform.Value.ServiceName,
            address,
            options.Value.Weight);
        // Leave as soon as draining begins: gateways stop routing here while the server still answers.
        drain.Draining.Register(Leave);
        redis.ConnectionRestored += (_, _) => _ = ReannounceAsync();

        var announced = false;
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        do
        {
            try
            {
                if (announced)
                {
                    await registry.RegisterAsync(_instance, options.Value.Ttl);
                }
                else
                {
                    await registry.AnnounceAsync(_instance, options.Value.Ttl);
                    announced = true;
                    LogRegistered(_instance.Service, _instance.Address, _instance.Id);
                }
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                announced = false;
                LogHeartbeatFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task ReannounceAsync()
    {
        if (_instance is null || drain.Draining.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await registry.AnnounceAsync(_instance, options.Value.Ttl);
            LogRegistered(_instance.Service, _instance.Address, _instance.Id);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogHeartbeatFailed(ex); // the next heartbeat tries again
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(started.SetResult);
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Leave()
    {
        if (_instance is null)
        {
            return;
        }

        try
        {
            // Synchronous on purpose: the drain delay starts only after the registry no longer lists this replica.
            registry.DeregisterAsync(_instance).Wait(TimeSpan.FromSeconds(2));
            LogDeregistered(_instance.Service, _instance.Id);
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(ex);
        }
    }

    private string? ListeningAddress()
    {
        // Never the management port (Platform:Metrics:Port): it serves metrics and health only.
        var managementPort = metrics.Value.Port > 0 ? $":{metrics.Value.Port}" : null;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => managementPort is null || !a.TrimEnd('/').EndsWith(managementPort, StringComparison.Ordinal))
            .ToList();
        var first = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        // A wildcard bind is reachable on loopback from this machine; across machines set Discovery:Address.
        return first.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Service} at {Address} as {InstanceId}")]
    private partial void LogRegistered(string service, string address, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deregistered {Service} instance {InstanceId}")]
    private partial void LogDeregistered(string service, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discovery heartbeat failed; will retry")]
    private partial void LogHeartbeatFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discovery is enabled but no listening address is known; set Discovery:Address")]
    private partial void LogNoAddress();
}
