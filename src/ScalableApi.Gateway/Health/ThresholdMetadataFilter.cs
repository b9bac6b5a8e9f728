using Yarp.ReverseProxy.Configuration;

namespace ScalableApi.Gateway.Health;

/// <summary>
/// Rejects a cluster whose <c>ConsecutiveTransportFailuresHealthPolicy.Threshold</c> metadata is not a positive
/// integer, naming the key: at start-up the gateway does not start; on a reload YARP keeps the previous
/// configuration and logs why. The policy itself then never has to guess what a bad value meant.
/// </summary>
internal sealed class ThresholdMetadataFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.Metadata is { } metadata
            && metadata.TryGetValue(ConsecutiveTransportFailuresHealthPolicy.ThresholdMetadataName, out var text)
            && !ConsecutiveTransportFailuresHealthPolicy.TryParseThreshold(text, out _))
        {
            throw new InvalidOperationException(ValidatedOptions.Failure(
                $"ReverseProxy:Clusters:{cluster.ClusterId}:Metadata:{ConsecutiveTransportFailuresHealthPolicy.ThresholdMetadataName}",
                null,
                $"'{text}' is not a whole number of failures from 1 to 1000"));
        }

        return ValueTask.FromResult(cluster);
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}
