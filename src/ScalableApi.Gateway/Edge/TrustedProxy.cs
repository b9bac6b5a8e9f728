using System.Net;

namespace ScalableApi.Gateway.Edge;

/// <summary>One <c>Gateway:TrustedProxies</c> entry: an IP address or a CIDR network.</summary>
internal readonly record struct TrustedProxy(IPAddress? Address, IPNetwork? Network)
{
    public static bool TryParse(string? entry, out TrustedProxy proxy)
    {
        if (IPNetwork.TryParse(entry, out var network))
        {
            proxy = new TrustedProxy(null, network);
            return true;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            proxy = new TrustedProxy(address, null);
            return true;
        }

        proxy = default;
        return false;
    }
}
