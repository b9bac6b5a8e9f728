using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.LoadBalancing;

/// <summary>
/// nginx's smooth weighted round robin: each pick adds every destination's weight to its running score, takes
/// the highest, and subtracts the total from the winner. Weights 5/1/1 give a,a,b,a,c,a,a — spread out, never
/// bursts. The weight comes from destination metadata <c>Weight</c> (positive integer, default 1).
/// </summary>
public sealed class WeightedRoundRobinLoadBalancingPolicy : ILoadBalancingPolicy
{
    private readonly ConditionalWeakTable<ClusterState, ClusterWeights> _clusters = [];

    public string Name => GatewayLoadBalancingPolicies.WeightedRoundRobin;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var count = availableDestinations.Count;
        if (count <= 1)
        {
            return count == 0 ? null : availableDestinations[0];
        }

        return _clusters.GetValue(cluster, static _ => new ClusterWeights()).Pick(availableDestinations);
    }

    /// <summary>Weight of a destination from its metadata; anything but a positive integer counts as 1.</summary>
    internal static int WeightOf(DestinationState destination) =>
        destination.Model?.Config.Metadata is { } metadata
        && metadata.TryGetValue(GatewayLoadBalancingPolicies.WeightMetadataKey, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var weight)
        && weight > 0
            ? weight
            : 1;

    /// <summary>
    /// Running scores for one cluster. YARP hands the same list instance until health or configuration
    /// changes, so weights are re-read (and scores reset) only when the list instance changes; a pick itself
    /// allocates nothing.
    /// </summary>
    private sealed class ClusterWeights
    {
        private readonly Lock _lock = new();
        private IReadOnlyList<DestinationState>? _destinations;
        private int[] _weights = [];
        private long[] _scores = [];
        private long _total;

        public DestinationState Pick(IReadOnlyList<DestinationState> destinations)
        {
            lock (_lock)
            {
                if (!ReferenceEquals(destinations, _destinations) || _weights.Length != destinations.Count)
                {
                    Reset(destinations);
                }

                var best = 0;
                for (var i = 0; i < _scores.Length; i++)
                {
                    _scores[i] += _weights[i];
                    if (_scores[i] > _scores[best])
                    {
                        best = i;
                    }
                }

                _scores[best] -= _total;
                return destinations[best];
            }
        }

        private void Reset(IReadOnlyList<DestinationState> destinations)
        {
            _destinations = destinations;
            _weights = new int[destinations.Count];
            _scores = new long[destinations.Count];
            _total = 0;
            for (var i = 0; i < destinations.Count; i++)
            {
                _weights[i] = WeightOf(destinations[i]);
                _total += _weights[i];
            }
        }
    }
}
