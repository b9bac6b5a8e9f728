using System.Text.Json;
using StackExchange.Redis;

namespace ScalableApi.Platform.Discovery;

/// <summary>Reads and writes registrations; used by replicas (register, renew, leave) and gateways (list).</summary>
public sealed class ServiceRegistry(IConnectionMultiplexer redis, TimeProvider time)
{
    public async Task RegisterAsync(ServiceInstance instance, TimeSpan ttl)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var transaction = db.CreateTransaction();
        _ = transaction.HashSetAsync(DiscoveryKeys.Instances(instance.Service), instance.Id, JsonSerializer.Serialize(instance, PlatformJsonContext.Default.ServiceInstance));
        _ = transaction.SortedSetAddAsync(DiscoveryKeys.Expiries(instance.Service), instance.Id, now + (long)ttl.TotalMilliseconds);
        _ = transaction.SortedSetRemoveRangeByScoreAsync(DiscoveryKeys.Expiries(instance.Service), double.NegativeInfinity, now);
        await transaction.ExecuteAsync();
    }

    /// <summary>Registers and announces: gateways add the replica now rather than at their next poll.</summary>
    public async Task AnnounceAsync(ServiceInstance instance, TimeSpan ttl)
    {
        await RegisterAsync(instance, ttl);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(DiscoveryKeys.Channel), instance.Service);
    }

    public async Task DeregisterAsync(ServiceInstance instance)
    {
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(DiscoveryKeys.Expiries(instance.Service), instance.Id);
        _ = transaction.HashDeleteAsync(DiscoveryKeys.Instances(instance.Service), instance.Id);
        await transaction.ExecuteAsync();
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(DiscoveryKeys.Channel), instance.Service);
    }

    /// <summary>Replicas of <paramref name="service"/> whose registration has not expired.</summary>
    public async Task<IReadOnlyList<ServiceInstance>> ListAsync(string service)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = await db.SortedSetRangeByScoreAsync(DiscoveryKeys.Expiries(service), now, double.PositiveInfinity);
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await db.HashGetAsync(DiscoveryKeys.Instances(service), ids);
        var instances = new List<ServiceInstance>(values.Length);
        foreach (var value in values)
        {
            if (value.HasValue && JsonSerializer.Deserialize((string)value!, PlatformJsonContext.Default.ServiceInstance) is { } instance)
            {
                instances.Add(instance);
            }
        }

        return instances;
    }
}
