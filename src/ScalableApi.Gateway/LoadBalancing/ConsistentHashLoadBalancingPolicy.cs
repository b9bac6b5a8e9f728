using System.IO.Hashing;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.LoadBalancing;

/// <summary>
/// Rendezvous (highest random weight) hashing on the client IP. Every destination gets a score
/// <c>mix(hash(client) ^ hash(destination))</c>; the highest wins. Removing a destination moves only its own
/// clients; adding one of N+1 takes about 1/(N+1) of them; every gateway replica agrees without shared state
/// because the hashes are stable (XxHash64 of the destination id, not <see cref="string.GetHashCode()"/>).
/// The client IP is the connection's remote address, which the forwarded-headers middleware has already
/// replaced with the X-Forwarded-For client when, and only when, the connection came from a trusted proxy.
/// </summary>
public sealed class ConsistentHashLoadBalancingPolicy : ILoadBalancingPolicy
{
    // Destination id hashes, computed once per destination object (ids do not change for a DestinationState).
    private readonly ConditionalWeakTable<DestinationState, StrongBox<ulong>> _destinationHashes = [];

    public string Name => GatewayLoadBalancingPolicies.ConsistentHash;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var count = availableDestinations.Count;
        if (count <= 1)
        {
            return count == 0 ? null : availableDestinations[0];
        }

        var clientHash = HashClient(context.Connection.RemoteIpAddress);
        DestinationState? best = null;
        var bestScore = 0UL;
        for (var i = 0; i < count; i++)
        {
            var destination = availableDestinations[i];
            var score = Mix(clientHash ^ DestinationHash(destination));
            if (best is null || score > bestScore)
            {
                best = destination;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>Hash of the client address bytes; IPv4-mapped IPv6 counts as the IPv4 address.</summary>
    internal static ulong HashClient(IPAddress? address)
    {
        if (address is null)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return 0;
        }

        // ::ffff:a.b.c.d (a dual-stack socket's view of an IPv4 client) hashes as a.b.c.d, without allocating.
        var key = address.IsIPv4MappedToIPv6 ? bytes.Slice(12, 4) : bytes[..written];
        return XxHash64.HashToUInt64(key);
    }

    private ulong DestinationHash(DestinationState destination) =>
        _destinationHashes.GetValue(destination, static d => new StrongBox<ulong>(XxHash64.HashToUInt64(MemoryMarshal.AsBytes(d.DestinationId.AsSpan())))).Value;

    /// <summary>SplitMix64's finaliser: spreads a XOR of two hashes into an independent-looking score.</summary>
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
