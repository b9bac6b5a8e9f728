using ScalableApi.Gateway.Edge;

namespace ScalableApi.Gateway;

/// <summary>Configuration section <c>Gateway</c>.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-For</c> is believed. Empty by default: the
    /// client is the TCP peer, so nobody can choose their replica or rate-limit bucket by sending a header.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!TrustedProxy.TryParse(TrustedProxies[i], out _))
            {
                yield return new ValidationResult(
                    $"'{TrustedProxies[i]}' is neither an IP address nor a CIDR network (e.g. 10.0.0.0/8)",
                    [string.Create(CultureInfo.InvariantCulture, $"{nameof(TrustedProxies)}:{i}")]);
            }
        }
    }
}
