using System.Diagnostics;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Aggregation;

/// <summary>
/// Calls a service for the gateway's own endpoints through the same clusters, health state and balancing
/// policy the proxy uses, so aggregation never talks to a replica the proxy considers down.
/// </summary>
public sealed class UpstreamClient(HttpClient http, IProxyStateLookup proxyState, IEnumerable<ILoadBalancingPolicy> policies)
{
    public const string HttpClientName = "upstream";

    private readonly Dictionary<string, ILoadBalancingPolicy> _policies = policies.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>GET <paramref name="pathAndQuery"/> on a healthy destination of <paramref name="clusterId"/>; null when none is available.</summary>
    public async Task<HttpResponseMessage?> GetAsync(HttpContext context, string clusterId, string pathAndQuery, CancellationToken cancellationToken)
    {
        if (!proxyState.TryGetCluster(clusterId, out var cluster))
        {
            return null;
        }

        var destinations = cluster.DestinationsState.AvailableDestinations;
        var policyName = cluster.Model.Config.LoadBalancingPolicy ?? LoadBalancingPolicies.PowerOfTwoChoices;
        var destination = _policies.TryGetValue(policyName, out var policy)
            ? policy.PickDestination(context, cluster, destinations)
            : destinations.Count > 0 ? destinations[0] : null;
        if (destination is null)
        {
            return null;
        }

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(destination.Model.Config.Address), pathAndQuery));
        if (context.Items.TryGetValue("RequestId", out var requestId) && requestId is string id)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", id);
        }

        destination.ConcurrentRequestCount++;
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        finally
        {
            destination.ConcurrentRequestCount--;
            request.Dispose();
            Activity.Current?.SetTag("gateway.destination", destination.DestinationId);
        }
    }
}
