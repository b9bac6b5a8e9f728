namespace ScalableApi.Gateway.Observability;

/// <summary>The gateway's own metrics: upstream attempts, destination health, retries, rate-limit rejections.</summary>
internal static class GatewayMetricsExtensions
{
    public static WebApplicationBuilder AddGatewayMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GatewayMetrics>();
        return builder;
    }

    /// <summary>Instruments exist from start-up, so /metrics shows every destination before the first request.</summary>
    public static WebApplication UseGatewayMetrics(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<GatewayMetrics>();
        return app;
    }

    /// <summary>Every attempt to reach a destination, retries included (inside the retry, so each attempt is seen).</summary>
    public static IReverseProxyApplicationBuilder UseUpstreamMetrics(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<UpstreamMetricsMiddleware>();
        return pipeline;
    }
}
