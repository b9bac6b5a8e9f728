using Microsoft.AspNetCore.ResponseCompression;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>The edge cache (docs/adr/0006-edge-cache.md): anonymous public reads from gateway memory, purged by writes.</summary>
internal static class EdgeCacheExtensions
{
    public static WebApplicationBuilder AddEdgeCache(this WebApplicationBuilder builder) =>
        builder.AddFeature<EdgeCacheOptions>(EdgeCacheOptions.SectionName, static services => services
            .AddSingleton<EdgeCacheMetrics>()
            .AddSingleton<EdgeCacheStore>()
            .AddSingleton<EdgeCachePurgeChannel>()
            .AddHostedService(static sp => sp.GetRequiredService<EdgeCachePurgeChannel>()));

    /// <summary>After compression and route timeouts (a hit is compressed like a proxied response), before YARP.</summary>
    public static WebApplication UseEdgeCache(this WebApplication app)
    {
        // The surrogate headers (keys, control) are between the services and the gateways: taken out of every response, the
        // cache on or off, cached route or not. Registered outside the cache, so this start callback runs after the
        // cache's own (they run last registered first) and the cache has read the keys when they go.
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(StripSurrogateKeys, context.Response);
            return next(context);
        });
        return app.UseMiddlewareWhen<EdgeCacheOptions, EdgeCacheMiddleware>(static options => options.Enabled);
    }

    /// <summary>
    /// Right after routing (<see cref="Gateway.GatewayExtensions.UseHitPath"/>): candidates for a hit branch off
    /// through <paramref name="counting"/> (the rate limit) to <see cref="EdgeCacheHitMiddleware"/>; a miss rejoins the pipeline.
    /// </summary>
    public static void UseEdgeCacheHits(IApplicationBuilder app, Action<IApplicationBuilder> counting)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<EdgeCacheOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }

        var compression = app.ApplicationServices.GetRequiredService<IResponseCompressionProvider>();
        app.UseWhen(context => EdgeCacheHitMiddleware.Candidate(context, options, compression), branch =>
        {
            counting(branch);
            branch.UseMiddleware<EdgeCacheHitMiddleware>();
        });
    }

    private static readonly Func<object, Task> StripSurrogateKeys = static state =>
    {
        var headers = ((HttpResponse)state).Headers;
        headers.Remove(EdgeCacheMiddleware.SurrogateKeyHeader);
        headers.Remove(EdgeCacheMiddleware.SurrogateKeyPurgeHeader);
        headers.Remove(Platform.Http.PublicCaching.SurrogateControlHeader);
        return Task.CompletedTask;
    };
}
