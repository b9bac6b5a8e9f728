using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace ScalableApi.Gateway.Resilience;

/// <summary>Retry on another destination, and 504 for a route's own timeout.</summary>
internal static class ResilienceExtensions
{
    public static WebApplicationBuilder AddGatewayResilience(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITransformProvider, OverloadedBodyTransform>();
        return builder;
    }

    /// <summary>In YARP's pipeline before load balancing, so a retry is balanced and health-checked like any request.</summary>
    public static IReverseProxyApplicationBuilder UseGatewayResilience(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<RouteTimeoutStatusMiddleware>();
        pipeline.UseMiddleware<RetryOnAnotherDestinationMiddleware>();
        return pipeline;
    }

    /// <summary>Every route drops an overloaded 503's body while a retry is still possible (see the middleware).</summary>
    private sealed class OverloadedBodyTransform : ITransformProvider
    {
        public void ValidateRoute(TransformRouteValidationContext context)
        {
        }

        public void ValidateCluster(TransformClusterValidationContext context)
        {
        }

        public void Apply(TransformBuilderContext context) =>
            context.AddResponseTransform(RetryOnAnotherDestinationMiddleware.SuppressOverloadedBody);
    }
}
