namespace ScalableApi.Platform.Discovery;

/// <summary>Configuration section <c>Discovery</c>: self-registration in the Redis-protocol store.</summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "Discovery";

    /// <summary>Register this replica so gateways find it. Needs <c>ConnectionStrings:redis</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The base URL gateways should use; default: the first address the server listens on.</summary>
    public string? Address { get; set; }

    /// <summary>Relative capacity for the weighted round-robin policy.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>How long a registration lives without a heartbeat; a crashed replica disappears after this.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the registration is renewed (well under <see cref="Ttl"/>).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
}
