using ScalableApi.Gateway.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Tests.LoadBalancing;

public sealed class ConsistentHashLoadBalancingPolicyTests
{
    private const int ClientCount = 10_000;
    private readonly ClusterState _cluster = new("catalog");

    [Fact]
    public void A_client_always_gets_the_same_destination()
    {
        var policy = new ConsistentHashLoadBalancingPolicy();
        var destinations = Destinations.Create("a", "b", "c", "d");
        var client = Destinations.Client(IPAddress.Parse("192.0.2.7"));

        var first = policy.PickDestination(client, _cluster, destinations);
        for (var i = 0; i < 100; i++)
        {
            Assert.Same(first, policy.PickDestination(client, _cluster, destinations));
        }
    }

    [Fact]
    public void Two_gateway_replicas_agree_because_hashes_are_stable()
    {
        var destinationsA = Destinations.Create("a", "b", "c");
        var destinationsB = Destinations.Create("c", "a", "b"); // another process, another order
        var gatewayA = new ConsistentHashLoadBalancingPolicy();
        var gatewayB = new ConsistentHashLoadBalancingPolicy();

        foreach (var client in Destinations.Clients(1000))
        {
            var context = Destinations.Client(client);
            Assert.Equal(
                gatewayA.PickDestination(context, _cluster, destinationsA)!.DestinationId,
                gatewayB.PickDestination(context, _cluster, destinationsB)!.DestinationId);
        }
    }

    [Fact]
    public void Clients_spread_evenly_over_destinations()
    {
        var policy = new ConsistentHashLoadBalancingPolicy();
        var destinations = Destinations.Create("a", "b", "c", "d");

        var counts = Assign(policy, destinations).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());

        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            Assert.InRange(counts[id] / (double)ClientCount, 0.25 - 0.05, 0.25 + 0.05);
        }
    }

    [Fact]
    public void Removing_a_destination_remaps_only_its_own_clients()
    {
        var policy = new ConsistentHashLoadBalancingPolicy();
        var before = Assign(policy, Destinations.Create("a", "b", "c", "d"));
        var after = Assign(policy, Destinations.Create("a", "b", "d"));

        foreach (var (client, destination) in before)
        {
            if (destination != "c")
            {
                Assert.Equal(destination, after[client]);
            }
            else
            {
                Assert.NotEqual("c", after[client]);
            }
        }
    }

    [Fact]
    public void Adding_a_destination_moves_about_one_in_n_plus_one_clients_all_to_the_new_one()
    {
        var policy = new ConsistentHashLoadBalancingPolicy();
        var before = Assign(policy, Destinations.Create("a", "b", "c", "d"));
        var after = Assign(policy, Destinations.Create("a", "b", "c", "d", "e"));

        var moved = before.Where(p => after[p.Key] != p.Value).ToList();

        Assert.All(moved, p => Assert.Equal("e", after[p.Key]));
        Assert.InRange(moved.Count / (double)ClientCount, 0.20 - 0.05, 0.20 + 0.05);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_client_is_the_same_client_as_ipv4()
    {
        var policy = new ConsistentHashLoadBalancingPolicy();
        var destinations = Destinations.Create("a", "b", "c", "d", "e", "f");

        foreach (var client in Destinations.Clients(200))
        {
            Assert.Same(
                policy.PickDestination(Destinations.Client(client), _cluster, destinations),
                policy.PickDestination(Destinations.Client(client.MapToIPv6()), _cluster, destinations));
        }
    }

    [Fact]
    public void No_destination_gives_null_and_one_gives_that_one()
    {
        var policy = new ConsistentHashLoadBalancingPolicy();
        var context = Destinations.Client(IPAddress.Loopback);
        var only = Destinations.Create("only");

        Assert.Null(policy.PickDestination(context, _cluster, []));
        Assert.Same(only, policy.PickDestination(context, _cluster, [only]));
    }

    private Dictionary<IPAddress, string> Assign(ConsistentHashLoadBalancingPolicy policy, IReadOnlyList<DestinationState> destinations) =>
        Destinations.Clients(ClientCount).ToDictionary(c => c, c => policy.PickDestination(Destinations.Client(c), _cluster, destinations)!.DestinationId);
}
