using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;

namespace ScalableApi.Gateway.Edge;

/// <summary>What the gateway does to every request at the edge: who the client is, compression, route timeouts.</summary>
internal static class EdgeExtensions
{
    public static WebApplicationBuilder AddGatewayEdge(this WebApplicationBuilder builder) =>
        builder.AddFeature<GatewayOptions>(GatewayOptions.SectionName, static services =>
        {
            // The client address every policy and limit sees: X-Forwarded-For is believed only from listed proxies.
            services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<GatewayOptions>>(static (options, gateway) =>
            {
                var proxies = gateway.Value.TrustedProxies;
                // With both lists empty ASP.NET Core believes X-Forwarded-* from any peer, so no trusted proxy means the
                // middleware reads nothing at all (it was believed from anyone: each spoofed value a fresh rate-limit bucket).
                options.ForwardedHeaders = proxies.Count == 0
                    ? ForwardedHeaders.None
                    : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var entry in proxies)
                {
                    // Every entry parses: GatewayOptions is validated at start-up.
                    _ = TrustedProxy.TryParse(entry, out var proxy);
                    if (proxy.Network is { } network)
                    {
                        options.KnownIPNetworks.Add(network);
                    }
                    else if (proxy.Address is { } address)
                    {
                        options.KnownProxies.Add(address);
                    }
                }
            });

            // Routes name a per-route "Timeout"; the middleware enforces it and answers 504 problem+json.
            services.AddRequestTimeouts();
            // Large JSON pages shrink a lot; HTTPS compression stays off (BREACH) unless a deployment opts in.
            services.AddResponseCompression(static options =>
            {
                options.Providers.Add<BrotliCompressionProvider>();
                options.Providers.Add<GzipCompressionProvider>();
                options.MimeTypes = ["application/json", "application/problem+json", "application/x-ndjson", "text/plain"];
            });
        });

    /// <summary>Compression and route timeouts, after the rate limits and before any endpoint.</summary>
    public static WebApplication UseGatewayEdge(this WebApplication app)
    {
        app.UseResponseCompression();
        app.UseRequestTimeouts();
        return app;
    }
}
