namespace ScalableApi.Gateway;

/// <summary>Configuration section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Proxies (IP addresses or CIDR networks) whose <c>X-Forwarded-For</c> is believed. Empty by default: the
    /// client is the TCP peer, so nobody can choose their replica or rate-limit bucket by sending a header.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];
}
