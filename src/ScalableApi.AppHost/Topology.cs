using ScalableApi.Topology;

namespace ScalableApi.AppHost;

/// <summary>
/// The topology as Aspire resources: N replicas of each service, each its own process on its own port, and the
/// gateway in front on the chosen port. Replicas register themselves in the Redis-protocol store and the gateway
/// follows the registry, so every replica is its own destination for the gateway's balancing policy (Aspire's
/// own replica proxy is not used: the gateway is the balancer). What each process is told comes from
/// <see cref="TopologyEnvironment"/>, the contract the system tests and bench/run use too.
/// </summary>
internal static class Topology
{
    public const string HttpEndpoint = "http";
    public const string HttpsEndpoint = "https";
    public const string ReadinessPath = "/health/ready";
    public const string Gateway = TopologyServices.Gateway;

    /// <summary>
    /// <paramref name="settings"/>' gateway URL is the plain one the processes use (JWKS, health); with
    /// <paramref name="tls"/> clients get HTTPS on <paramref name="publicPort"/>, else that same plain port.
    /// </summary>
    public static void AddScalableApi(
        this IDistributedApplicationBuilder builder, TopologySettings settings, int replicas, int publicPort, GatewayCertificate? tls = null)
    {
        for (var replica = 1; replica <= replicas; replica++)
        {
            builder.AddReplica<Projects.ScalableApi_Users>(TopologyServices.Users, replica, settings);
            builder.AddReplica<Projects.ScalableApi_Catalog>(TopologyServices.Catalog, replica, settings);
            builder.AddReplica<Projects.ScalableApi_Content>(TopologyServices.Content, replica, settings);
        }

        var gateway = builder.AddProject<Projects.ScalableApi_Gateway>(Gateway, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: HttpEndpoint, port: settings.Gateway.Port, isProxied: false)
            .WithTopologyEnvironment(settings, Gateway)
            .WithHttpHealthCheck(ReadinessPath, endpointName: HttpEndpoint);
        if (tls is not null)
        {
            // Kestrel's default certificate serves every https URL it is given (README: HTTPS).
            gateway.WithHttpsEndpoint(name: HttpsEndpoint, port: publicPort, isProxied: false)
                .WithEnvironment("Kestrel__Certificates__Default__Path", tls.CertificatePath)
                .WithEnvironment("Kestrel__Certificates__Default__KeyPath", tls.KeyPath);
        }
    }

    /// <summary>The endpoint clients use: https when the resource has one.</summary>
    public static string PublicEndpointOf(IResourceWithEndpoints resource) =>
        resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == HttpsEndpoint) ? HttpsEndpoint : HttpEndpoint;

    private static void AddReplica<TProject>(this IDistributedApplicationBuilder builder, string service, int replica, TopologySettings settings)
        where TProject : IProjectMetadata, new()
    {
        // Launch profiles of the services are ignored so the topology alone decides ports and settings.
        builder.AddProject<TProject>(TopologyServices.ReplicaName(service, replica), options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: HttpEndpoint, port: FreePort.Next(), isProxied: false)
            .WithTopologyEnvironment(settings, service)
            .WithHttpHealthCheck(ReadinessPath, endpointName: HttpEndpoint);
    }

    private static IResourceBuilder<ProjectResource> WithTopologyEnvironment(
        this IResourceBuilder<ProjectResource> resource, TopologySettings settings, string process)
    {
        foreach (var (key, value) in TopologyEnvironment.For(settings, process))
        {
            resource.WithEnvironment(key, value);
        }

        return resource;
    }
}
