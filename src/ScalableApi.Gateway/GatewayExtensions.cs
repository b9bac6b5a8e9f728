using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Gateway.Aggregation;
using ScalableApi.Gateway.Discovery;
using ScalableApi.Gateway.Health;
using ScalableApi.Gateway.LoadBalancing;
using ScalableApi.Gateway.Observability;
using ScalableApi.Gateway.RateLimiting;
using ScalableApi.Gateway.Resilience;
using ScalableApi.Gateway.Routing;
using ScalableApi.Platform;
using ScalableApi.Platform.Http;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace ScalableApi.Gateway;

/// <summary>Everything the gateway adds to the platform: YARP from configuration and our balancing policies.</summary>
public static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.AddSingleton<ILoadBalancingPolicy, ConsistentHashLoadBalancingPolicy>();
        builder.Services.AddSingleton<ILoadBalancingPolicy, WeightedRoundRobinLoadBalancingPolicy>();
        // Discovered replicas are configuration keys too, added last so they merge with static destinations.
        var discovered = new DiscoveredDestinationsSource();
        ((IConfigurationBuilder)builder.Configuration).Add(discovered);
        builder.Services.AddSingleton(discovered);
        builder.Services.AddOptions<GatewayDiscoveryOptions>().Bind(builder.Configuration.GetSection(GatewayDiscoveryOptions.SectionName));
        if (builder.Configuration.GetRedisConnectionString() is not null
            && builder.Configuration.GetValue($"{GatewayDiscoveryOptions.SectionName}:Enabled", defaultValue: true))
        {
            builder.Services.AddSingleton<RegistryWatcher>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RegistryWatcher>());
        }

        // Passive health that honours each cluster's ReactivationPeriod (see ConsecutiveTransportFailuresHealthPolicy);
        // YARP's TransportFailureRate stays selectable, with its detection window configurable.
        var passiveHealth = builder.Configuration.GetSection(PassiveHealthOptions.SectionName);
        builder.Services.AddOptions<PassiveHealthOptions>().Bind(passiveHealth);
        builder.Services.Configure<TransportFailureRateHealthPolicyOptions>(passiveHealth.GetSection("TransportFailureRate"));
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveTransportFailuresHealthPolicy>();
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(transforms => transforms.AddResponseTransform(RetryOnAnotherDestinationMiddleware.SuppressOverloadedBody))
            // Kestrel reads header values as UTF-8; HttpClient refuses to send anything but ASCII unless told how to
            // encode it, which made any non-ASCII header value a 502. Passed through as the client sent it, like nginx.
            .ConfigureHttpClient(static (_, handler) => handler.RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.UTF8);
        // Routes name a per-route "Timeout"; the middleware enforces it and answers 504 problem+json.
        builder.Services.AddRequestTimeouts();
        // Large JSON pages shrink a lot; HTTPS compression stays off (BREACH) unless a deployment opts in.
        builder.Services.AddResponseCompression(o =>
        {
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json", "application/x-ndjson", "text/plain"];
        });
        builder.Services.AddOptions<AggregationOptions>().Bind(builder.Configuration.GetSection(AggregationOptions.SectionName));
        builder.Services.AddHttpClient<UpstreamClient>(UpstreamClient.HttpClientName);
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.SectionName));
        builder.Services.AddSingleton<RateLimitStore>();
        builder.Services.AddSingleton<RateLimitLeases>();

        // The client address every policy and limit sees: X-Forwarded-For is believed only from listed proxies.
        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With both lists empty ASP.NET Core believes X-Forwarded-* from any peer, so no trusted proxy means the
            // middleware reads nothing at all (it was believed from anyone: each spoofed value a fresh rate-limit bucket).
            options.ForwardedHeaders = gateway.TrustedProxies.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in gateway.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    options.KnownIPNetworks.Add(network);
                }
                else if (IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
                else
                {
                    throw new InvalidOperationException($"Gateway:TrustedProxies entry '{proxy}' is neither an IP address nor a CIDR network.");
                }
            }
        });
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        // After authentication (the user bucket needs a validated token), before anything costs work.
        if (RateLimitsEnabled(app))
        {
            app.UseMiddleware<RateLimitMiddleware>();
        }

        app.UseResponseCompression();
        app.UseRequestTimeouts();
        // Instruments exist from start-up, so /metrics shows every destination before the first request.
        _ = app.Services.GetRequiredService<GatewayMetrics>();
        app.MapUserOverviewApi();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseMiddleware<RouteTimeoutStatusMiddleware>();
            pipeline.UseMiddleware<RetryOnAnotherDestinationMiddleware>();
            pipeline.UseMiddleware<UpstreamMetricsMiddleware>();
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        })
            // Proxied bodies pass through as they arrive (an upstream's Content-Length, if any, is copied); holding
            // them back would only add a copy, and a large export would wait for the cap before moving.
            .StreamsResponse()
            .WithRouteBodyLimits();
        return app;
    }

    // Limits shared by all gateways need the shared store; without one they are off rather than per-process.
    private static bool RateLimitsEnabled(WebApplication app) =>
        app.Configuration.GetRedisConnectionString() is not null
        && app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value.Enabled;
}
