using Yarp.ReverseProxy.LoadBalancing;

namespace ScalableApi.Gateway.LoadBalancing;

/// <summary>Our policies beside YARP's own; a cluster names one in <c>LoadBalancingPolicy</c>.</summary>
internal static class LoadBalancingExtensions
{
    public static WebApplicationBuilder AddGatewayLoadBalancing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ILoadBalancingPolicy, ConsistentHashLoadBalancingPolicy>();
        builder.Services.AddSingleton<ILoadBalancingPolicy, WeightedRoundRobinLoadBalancingPolicy>();
        return builder;
    }
}
