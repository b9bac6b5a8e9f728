using ScalableApi.Gateway.Aggregation;
using ScalableApi.Gateway.ApiReference;
using ScalableApi.Gateway.Consistency;
using ScalableApi.Gateway.Dashboard;
using ScalableApi.Gateway.Discovery;
using ScalableApi.Gateway.Edge;
using ScalableApi.Gateway.EdgeCache;
using ScalableApi.Gateway.Health;
using ScalableApi.Gateway.LoadBalancing;
using ScalableApi.Gateway.Observability;
using ScalableApi.Gateway.Pages;
using ScalableApi.Gateway.RateLimiting;
using ScalableApi.Gateway.Resilience;
using ScalableApi.Gateway.Routing;

namespace ScalableApi.Gateway;

/// <summary>
/// Everything the gateway adds to the platform, one named step per folder (each folder's <c>XExtensions.cs</c>
/// registers its own options, validated at start-up, and services): YARP from configuration, then our parts.
/// </summary>
public static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder) => builder
        .AddGatewayDiscovery()
        .AddGatewayProxy()
        .AddGatewayLoadBalancing()
        .AddGatewayPassiveHealth()
        .AddGatewayResilience()
        .AddGatewayConsistencyTokens()
        .AddGatewayEdge()
        .AddEdgeCache()
        .AddGatewayRateLimiting()
        .AddGatewayAggregation()
        .AddGatewayMetrics()
        .AddGatewayPageSecurityHeaders()
        .AddGatewayApiReference()
        .AddGatewayDashboard();

    /// <summary>
    /// What the gateway puts between routing and authentication (<c>UsePlatform</c>'s hook): edge-cache hits, counted
    /// by the rate limit, answered before the layers a hit does not need (#13.4, <see cref="EdgeCacheHitMiddleware"/>).
    /// </summary>
    public static void UseHitPath(IApplicationBuilder app) =>
        EdgeCacheExtensions.UseEdgeCacheHits(app, RateLimitingExtensions.UseGatewayRateLimiting);

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseGatewayRateLimiting()
            .UseGatewayEdge()
            .UseEdgeCache()
            .UseGatewayMetrics()
            .MapGatewayAggregation();
        app.MapGatewayApiReference()
            .MapGatewayDashboard();
        app.MapReverseProxy(static pipeline => pipeline
                .UseGatewayResilience()
                .UseUpstreamMetrics()
                .UseSessionAffinity()
                .UseLoadBalancing()
                .UsePassiveHealthChecks())
            // Proxied bodies pass through as they arrive (an upstream's Content-Length, if any, is copied); holding
            // them back would only add a copy, and a large export would wait for the cap before moving.
            .StreamsResponse()
            .WithRouteBodyLimits();
        return app;
    }

    /// <summary>YARP's routes and clusters from <c>ReverseProxy</c>; the other steps add policies, filters and transforms.</summary>
    private static WebApplicationBuilder AddGatewayProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            // Kestrel reads header values as UTF-8; HttpClient refuses to send anything but ASCII unless told how to
            // encode it, which made any non-ASCII header value a 502. Passed through as the client sent it, like nginx.
            .ConfigureHttpClient(static (_, handler) => handler.RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.UTF8);
        return builder;
    }
}
