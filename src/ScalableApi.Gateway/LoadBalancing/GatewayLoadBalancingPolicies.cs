namespace ScalableApi.Gateway.LoadBalancing;

/// <summary>
/// Names of the policies this gateway adds to YARP's (RoundRobin, LeastRequests, PowerOfTwoChoices, Random,
/// FirstAlphabetical). A cluster picks one with <c>"LoadBalancingPolicy": "ConsistentHash"</c>.
/// </summary>
public static class GatewayLoadBalancingPolicies
{
    /// <summary>Rendezvous hashing on the client IP: a client keeps its replica while the set is stable.</summary>
    public const string ConsistentHash = "ConsistentHash";

    /// <summary>nginx's smooth weighted round robin; weight from destination metadata <c>Weight</c>.</summary>
    public const string WeightedRoundRobin = "WeightedRoundRobin";

    /// <summary>The metadata key a destination's weight is read from (a positive integer; default 1).</summary>
    public const string WeightMetadataKey = "Weight";
}
