using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Tests.LoadBalancing;

/// <summary>Builds YARP destination states and client contexts the way the proxy hands them to a policy.</summary>
internal static class Destinations
{
    public static DestinationState[] Create(params string[] ids) => [.. ids.Select(id => Create(id))];

    public static DestinationState Create(string id, int? weight = null) => new(id, new DestinationModel(new DestinationConfig
    {
        Address = $"http://{id}.test/",
        Metadata = weight is null ? null : new Dictionary<string, string> { ["Weight"] = weight.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    }));

    public static HttpContext Client(IPAddress address) => new DefaultHttpContext { Connection = { RemoteIpAddress = address } };

    /// <summary>10.x.y.z addresses, deterministic: the same client population in every run.</summary>
    public static IEnumerable<IPAddress> Clients(int count) =>
        Enumerable.Range(0, count).Select(i => new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
}
