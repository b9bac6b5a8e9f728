namespace ScalableApi.Gateway.EdgeCache;

/// <summary>The edge cache (docs/adr/0006-edge-cache.md): anonymous public reads from gateway memory, purged by writes.</summary>
internal static class EdgeCacheExtensions
{
    public static WebApplicationBuilder AddEdgeCache(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<EdgeCacheOptions>(builder.Configuration, EdgeCacheOptions.SectionName);
        builder.Services.AddSingleton<EdgeCacheMetrics>();
        builder.Services.AddSingleton<EdgeCacheStore>();
        builder.Services.AddSingleton<EdgeCachePurgeChannel>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<EdgeCachePurgeChannel>());
        return builder;
    }

    /// <summary>After compression and route timeouts (a hit is compressed like a proxied response), before YARP.</summary>
    public static WebApplication UseEdgeCache(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<EdgeCacheOptions>>().Value.Enabled)
        {
            app.UseMiddleware<EdgeCacheMiddleware>();
        }

        return app;
    }
}
