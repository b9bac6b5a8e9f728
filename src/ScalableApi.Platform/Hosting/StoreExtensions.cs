using ScalableApi.Platform.Health;
using StackExchange.Redis;

namespace ScalableApi.Platform.Hosting;

internal static class StoreExtensions
{
    /// <summary>
    /// One Redis-protocol connection per process when <c>ConnectionStrings:redis</c> is set, shared by the cache,
    /// discovery, revocations and messaging, with a readiness check; nothing without it.
    /// </summary>
    public static WebApplicationBuilder AddPlatformStore(this WebApplicationBuilder builder, string serviceName)
    {
        var redis = builder.Configuration.GetRedisConnectionString();
        if (redis is null)
        {
            return builder;
        }

        var redisOptions = ConfigurationOptions.Parse(redis);
        redisOptions.AbortOnConnectFail = false;
        // While Redis is unreachable, commands fail at once instead of queueing until a timeout: every user of
        // this connection (cache, discovery) has a fallback, and a queued command would only make a request
        // wait the cache's hard timeout before it falls back anyway.
        redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
        redisOptions.ClientName = serviceName;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
        return builder;
    }
}
