using ScalableApi.Gateway.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Tests.LoadBalancing;

public sealed class WeightedRoundRobinLoadBalancingPolicyTests
{
    private readonly ClusterState _cluster = new("catalog");
    private readonly Microsoft.AspNetCore.Http.HttpContext _context = Destinations.Client(IPAddress.Loopback);

    [Fact]
    public void Picks_follow_the_weights_within_five_percent_over_ten_thousand_picks()
    {
        var policy = new WeightedRoundRobinLoadBalancingPolicy();
        DestinationState[] destinations = [Destinations.Create("a", 5), Destinations.Create("b", 3), Destinations.Create("c", 2)];

        var counts = Enumerable.Range(0, 10_000)
            .Select(_ => policy.PickDestination(_context, _cluster, destinations)!.DestinationId)
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());

        Assert.InRange(counts["a"], 5000 * 0.95, 5000 * 1.05);
        Assert.InRange(counts["b"], 3000 * 0.95, 3000 * 1.05);
        Assert.InRange(counts["c"], 2000 * 0.95, 2000 * 1.05);
    }

    [Fact]
    public void Sequence_is_smooth_like_nginx()
    {
        var policy = new WeightedRoundRobinLoadBalancingPolicy();
        DestinationState[] destinations = [Destinations.Create("a", 5), Destinations.Create("b", 1), Destinations.Create("c", 1)];

        var sequence = string.Concat(Enumerable.Range(0, 7).Select(_ => policy.PickDestination(_context, _cluster, destinations)!.DestinationId));

        // nginx's documented order for weights 5/1/1.
        Assert.Equal("aabacaa", sequence);
    }

    [Fact]
    public void Missing_or_invalid_weight_counts_as_one()
    {
        var policy = new WeightedRoundRobinLoadBalancingPolicy();
        DestinationState[] destinations = [Destinations.Create("a"), Destinations.Create("b", 0), Destinations.Create("c", 1)];

        var counts = Enumerable.Range(0, 300)
            .Select(_ => policy.PickDestination(_context, _cluster, destinations)!.DestinationId)
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(counts.Values, c => Assert.Equal(100, c));
    }

    [Fact]
    public void A_changed_destination_set_is_picked_up()
    {
        var policy = new WeightedRoundRobinLoadBalancingPolicy();
        DestinationState[] two = [Destinations.Create("a", 1), Destinations.Create("b", 1)];
        DestinationState[] three = [.. two, Destinations.Create("c", 2)];
        policy.PickDestination(_context, _cluster, two);

        var picked = Enumerable.Range(0, 400).Select(_ => policy.PickDestination(_context, _cluster, three)!.DestinationId).ToList();

        Assert.Equal(200, picked.Count(id => id == "c"));
    }

    [Fact]
    public void Clusters_keep_separate_state()
    {
        var policy = new WeightedRoundRobinLoadBalancingPolicy();
        DestinationState[] destinations = [Destinations.Create("a", 1), Destinations.Create("b", 1)];
        var other = new ClusterState("users");

        var first = policy.PickDestination(_context, _cluster, destinations);
        var firstOfOther = policy.PickDestination(_context, other, destinations);

        Assert.Same(first, firstOfOther);
    }
}
