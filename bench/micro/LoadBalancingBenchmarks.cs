using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScalableApi.Gateway.LoadBalancing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// Cost of one pick per policy, beside YARP's own RoundRobin (the baseline) and PowerOfTwoChoices, on the same
/// destinations. YARP's built-in policies are internal: they are resolved from its DI registration, as the proxy does.
/// </summary>
[MemoryDiagnoser]
public class LoadBalancingBenchmarks
{
    private readonly Dictionary<string, ILoadBalancingPolicy> _policies = [];
    private readonly ClusterState _cluster = new("catalog");
    private DestinationState[] _destinations = [];
    private HttpContext _context = new DefaultHttpContext();

    [Params(2, 8)]
    public int Destinations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverseProxy();
        services.AddSingleton<ILoadBalancingPolicy, ConsistentHashLoadBalancingPolicy>();
        services.AddSingleton<ILoadBalancingPolicy, WeightedRoundRobinLoadBalancingPolicy>();
        foreach (var policy in services.BuildServiceProvider().GetServices<ILoadBalancingPolicy>())
        {
            _policies[policy.Name] = policy;
        }

        _destinations = [.. Enumerable.Range(0, Destinations).Select(i => new DestinationState($"d{i}", new DestinationModel(new DestinationConfig
        {
            Address = $"http://10.0.0.{i}/",
            Metadata = new Dictionary<string, string> { ["Weight"] = (1 + (i % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        })))];
        _context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("203.0.113.42") } };
    }

    [Benchmark(Baseline = true)]
    public DestinationState? RoundRobin() => Pick(LoadBalancingPolicies.RoundRobin);

    [Benchmark]
    public DestinationState? PowerOfTwoChoices() => Pick(LoadBalancingPolicies.PowerOfTwoChoices);

    [Benchmark]
    public DestinationState? LeastRequests() => Pick(LoadBalancingPolicies.LeastRequests);

    [Benchmark]
    public DestinationState? ConsistentHash() => Pick(GatewayLoadBalancingPolicies.ConsistentHash);

    [Benchmark]
    public DestinationState? WeightedRoundRobin() => Pick(GatewayLoadBalancingPolicies.WeightedRoundRobin);

    private DestinationState? Pick(string name) => _policies[name].PickDestination(_context, _cluster, _destinations);
}
