using System.Net;

namespace ScalableApi.Platform.Observability;

/// <summary>Who may read <c>/metrics</c>: the management port's clients, or on the main port the allowed networks.</summary>
internal sealed class MetricsAccess(IOptions<MetricsOptions> options)
{
    private readonly int _port = options.Value.Port;
    private readonly IReadOnlyList<IPNetwork> _networks = options.Value.ParsedNetworks();

    /// <summary>The management port, or 0 when <c>/metrics</c> is on the main listener.</summary>
    public int ManagementPort => _port;

    public bool Allows(HttpContext context)
    {
        if (_port > 0)
        {
            return context.Connection.LocalPort == _port;
        }

        // After the forwarded-headers middleware (where a service runs it): the client, not the proxy in front.
        var client = context.Connection.RemoteIpAddress;
        if (client is null)
        {
            // No IP peer: an in-process server (tests) or a Unix socket, neither reachable from the network.
            return true;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(client))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>On the management port only <c>/metrics</c> and the health probes are served.</summary>
    public bool IsOutOfPlaceOnManagementPort(HttpContext context) =>
        _port > 0
        && context.Connection.LocalPort == _port
        && !context.Request.Path.StartsWithSegments("/metrics")
        && !context.Request.Path.StartsWithSegments("/health");
}
