namespace ScalableApi.Platform.Discovery;

/// <summary>Configuration section <c>Discovery</c>: self-registration in the Redis-protocol store.</summary>
public sealed class DiscoveryOptions : IValidatableObject
{
    public const string SectionName = "Discovery";

    /// <summary>Register this replica so gateways find it. Needs <c>ConnectionStrings:redis</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The base URL gateways should use; default: the first address the server listens on.</summary>
    public string? Address { get; set; }

    /// <summary>Relative capacity for the weighted round-robin policy.</summary>
    [Range(1, 1000, ErrorMessage = "must be from 1 to 1000")]
    public int Weight { get; set; } = 1;

    /// <summary>How long a registration lives without a heartbeat; a crashed replica disappears after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be from 1 second to 1 hour (and longer than HeartbeatInterval)")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the registration is renewed (well under <see cref="Ttl"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "must be from 100 ms to 10 minutes")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A registration that expires before its next heartbeat flaps out of the gateway's destinations.
        if (Ttl <= HeartbeatInterval)
        {
            yield return new ValidationResult($"must be longer than HeartbeatInterval ({HeartbeatInterval:c})", [nameof(Ttl)]);
        }
    }
}
