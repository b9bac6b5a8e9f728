using System.ComponentModel.DataAnnotations;

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
}
