using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScalableApi.Gateway.Tests.EdgeCache;

/// <summary>A gateway with its catalog cluster on one upstream and the edge cache as configured by default.</summary>
internal static class EdgeGateways
{
    /// <summary>Services that put the gateway on <paramref name="time"/> (a fake clock the test advances).</summary>
    public static Action<IServiceCollection> Clock(TimeProvider time) => services =>
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(time);
    };

    public static GatewayFactory Create(string catalogAddress, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = "RoundRobin",
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = catalogAddress,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new GatewayFactory(settings, services);
    }
}
