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
    public static WebApplication UseEdgeCache(this WebApplication app) =>
        app.UseMiddlewareWhen<EdgeCacheOptions, EdgeCacheMiddleware>(static options => options.Enabled);
}
