using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Hosting;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Locking.Distributed.Redis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// One cache per service, configured once: FusionCache behind <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/>,
/// with a per-replica memory level (L1), Redis as the shared level (L2) and the Redis backplane, so a write on one
/// replica evicts the entry from every replica's L1. Without <c>ConnectionStrings:redis</c> it is memory only.
/// </summary>
public static class CachingExtensions
{
    public static WebApplicationBuilder AddPlatformCaching(this WebApplicationBuilder builder, string serviceName)
    {
        var section = builder.Configuration.GetSection(CachingOptions.SectionName);
        builder.Services.AddValidatedOptions<CachingOptions>(builder.Configuration, CachingOptions.SectionName);
        var options = section.Get<CachingOptions>() ?? new CachingOptions();
        var name = string.IsNullOrWhiteSpace(options.Name) ? serviceName : options.Name;
        var redis = builder.Configuration.GetRedisConnectionString();

        builder.Services.TryAddSingleton<CacheMetrics>();
        var defaults = new FusionCacheEntryOptions
        {
            Duration = options.Duration,
            JitterMaxDuration = options.JitterMaxDuration,
            IsFailSafeEnabled = options.FailSafe,
            FailSafeMaxDuration = options.FailSafeMaxDuration,
            FailSafeThrottleDuration = options.FailSafeThrottleDuration,
            FactorySoftTimeout = options.FactorySoftTimeout,
            DistributedCacheSoftTimeout = options.DistributedCacheSoftTimeout,
            DistributedCacheHardTimeout = options.DistributedCacheHardTimeout,
            DistributedLockTimeout = options.DistributedLockTimeout,
            // A write returns only once Redis has the new value and the backplane has told the other replicas,
            // so a read that follows the write's response, on any replica, does not see the old value.
            AllowBackgroundDistributedCacheOperations = false,
            AllowBackgroundBackplaneOperations = false,
            // A fill (a factory run after a miss) would tell every other replica to drop its memory copy of the
            // key, which holds the same value: a hot key refilled on N replicas evicted N - 1 times. Only writes
            // publish (ConsistentCaching.SetWrittenAsync, CollectionVersions.ChangedAsync).
            SkipBackplaneNotifications = true,
        };
        var cache = builder.Services.AddFusionCache()
            .WithOptions(o =>
            {
                // CacheName stays FusionCache's default: only the default cache can be the HybridCache.
                // Keys and backplane channel are per service: services sharing one Redis never evict each other.
                o.CacheKeyPrefix = name + ":";
                o.BackplaneChannelPrefix = "scalableapi:cache:" + name;
                o.DistributedCacheCircuitBreakerDuration = options.DistributedCacheCircuitBreakerDuration;
                o.BackplaneCircuitBreakerDuration = options.BackplaneCircuitBreakerDuration;
                o.DefaultEntryOptionsProvider = new CollectionVersionEntryOptions(defaults);
            })
            .WithDefaultEntryOptions(defaults)
            .WithPostSetup((services, fusion) => services.GetRequiredService<CacheMetrics>().Attach(fusion, name));

        if (!string.IsNullOrWhiteSpace(redis))
        {
            // The platform's multiplexer (AbortOnConnectFail=false): one connection per replica, and start-up does
            // not fail when Redis is down; FusionCache's circuit breakers take over until it is back.
            cache
                .WithSerializer(new FusionCacheSystemTextJsonSerializer())
                .WithDistributedCache(sp => new RedisCache(new RedisCacheOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
                }))
                .WithBackplane(sp => new RedisBackplane(new RedisBackplaneOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
                }))
                // Single flight across replicas, not only within one: a cold key read on every replica at once
                // (a hot product behind a round-robin gateway) runs its query once; the others wait for the lock,
                // then find the value in Redis. Only misses take the lock; hits never touch it.
                .WithDistributedLocker(sp => new RedisDistributedLocker(new RedisDistributedLockerOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
                }));
        }

        cache.AsHybridCache();
        builder.Services.AddSingleton<CollectionVersions>();
        return builder;
    }
}
