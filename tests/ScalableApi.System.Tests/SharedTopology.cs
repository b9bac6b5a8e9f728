namespace ScalableApi.System.Tests;

/// <summary>One topology for every test that only sends requests: nothing in it stops or kills a replica.</summary>
[CollectionDefinition(Name)]
public sealed class SharedTopology : ICollectionFixture<SystemTopology>
{
    public const string Name = "Shared topology";
}

/// <summary>A topology whose replicas are started and stopped by the tests (each test touches a different service).</summary>
[CollectionDefinition(Name)]
public sealed class ChangingTopology : ICollectionFixture<SystemTopology>
{
    public const string Name = "Topology whose replicas come and go";
}

/// <summary>
/// A suite on the shared topology (xunit reads the collection from this base class): the topology, and the client that
/// sends every request through the gateway.
/// </summary>
[Collection(SharedTopology.Name)]
public abstract class SharedTopologySuite(SystemTopology topology)
{
    protected SystemTopology Topology { get; } = topology;

    protected HttpClient Client => Topology.GatewayClient;
}
