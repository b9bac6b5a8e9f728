namespace ScalableApi.Platform.Discovery;

/// <summary>
/// Layout in the Redis-protocol store. Per service: a sorted set of instance ids scored by expiry (unix ms), and
/// a hash of id → instance JSON. Expired ids are ignored by readers and pruned by writers. Every change is
/// announced on <see cref="Channel"/> so gateways reconcile at once instead of at their next poll.
/// </summary>
public static class DiscoveryKeys
{
    public const string Channel = "scalableapi:discovery:changed";

    public static string Expiries(string service) => $"scalableapi:discovery:{service}:expiries";

    public static string Instances(string service) => $"scalableapi:discovery:{service}:instances";
}
