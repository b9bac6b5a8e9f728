namespace ScalableApi.Topology;

/// <summary>The processes of the topology and how they are named: resources, projects, databases.</summary>
public static class TopologyServices
{
    public const string Users = "users";
    public const string Catalog = "catalog";
    public const string Content = "content";
    public const string Gateway = "gateway";

    /// <summary>The services behind the gateway, each run as N replicas.</summary>
    public static IReadOnlyList<string> Services { get; } = [Users, Catalog, Content];

    /// <summary>Every process: the services and the gateway.</summary>
    public static IReadOnlyList<string> Processes { get; } = [Users, Catalog, Content, Gateway];

    /// <summary>Project and assembly of a process: <c>ScalableApi.Catalog</c>.</summary>
    public static string ProjectName(string process) => "ScalableApi." + char.ToUpperInvariant(process[0]) + process[1..];

    /// <summary>Name of a replica (an Aspire resource, a log file): <c>catalog-2</c>, 1-based.</summary>
    public static string ReplicaName(string service, int replica) => $"{service}-{replica}";

    /// <summary>The PostgreSQL database of a service on a shared server: <c>scalableapi_catalog</c>.</summary>
    public static string PostgresDatabase(string service) => $"scalableapi_{service}";
}
