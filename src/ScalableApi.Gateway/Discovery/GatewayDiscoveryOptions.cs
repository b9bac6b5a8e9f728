namespace ScalableApi.Gateway.Discovery;

/// <summary>Configuration section <c>Gateway:Discovery</c>: following replicas registered in the Redis-protocol store.</summary>
public sealed class GatewayDiscoveryOptions
{
    public const string SectionName = "Gateway:Discovery";

    /// <summary>Follow registrations (needs <c>ConnectionStrings:redis</c>); static destinations work either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Full re-read of the registry, in case an announcement was missed (pub/sub is at-most-once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "must be from 10 ms to 1 hour")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the store connection comes back, how long a replica missing from the registry keeps its destination:
    /// a store that restarted has lost every registration until each replica's next heartbeat (replicas also
    /// re-announce when their own connection is restored), and health checks still take a dead one out.
    /// Default 15 s, the registrations' default TTL; 0 turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 to 1 hour")]
    public TimeSpan RestoreGrace { get; set; } = TimeSpan.FromSeconds(15);
}
