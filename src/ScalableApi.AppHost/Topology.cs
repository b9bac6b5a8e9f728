namespace ScalableApi.AppHost;

/// <summary>
/// The topology as Aspire resources: N replicas of each service, each its own process on its own port, and the
/// gateway in front on the chosen port. Replicas register themselves in the Redis-protocol store and the gateway
/// follows the registry, so every replica is its own destination for the gateway's balancing policy (Aspire's
/// own replica proxy is not used: the gateway is the balancer).
/// </summary>
internal static class Topology
{
    public const string HttpEndpoint = "http";
    public const string HttpsEndpoint = "https";
    public const string ReadinessPath = "/health/ready";
    public const string Gateway = "gateway";

    public static void AddScalableApi(
        this IDistributedApplicationBuilder builder, ServiceEnvironment environment, string redis, int replicas, int gatewayPort, GatewayCertificate? tls = null)
    {
        // With --https the gateway's port speaks TLS; the services (JWKS) and the health check use a plain port of the
        // gateway on loopback instead, so nothing inside has to trust the self-signed certificate.
        var plainPort = tls is null ? gatewayPort : FreePort.Next();

        // Everyone validates tokens with the users service's public keys, fetched through the gateway, so any
        // healthy users replica answers.
        var gatewayUrl = $"http://127.0.0.1:{plainPort}";
        var jwks = $"{gatewayUrl}/.well-known/jwks.json";

        for (var replica = 1; replica <= replicas; replica++)
        {
            builder.AddReplica<Projects.ScalableApi_Users>(ServiceEnvironment.Users, replica, environment, redis, jwks);
            builder.AddReplica<Projects.ScalableApi_Catalog>(ServiceEnvironment.Catalog, replica, environment, redis, jwks);
            builder.AddReplica<Projects.ScalableApi_Content>(ServiceEnvironment.Content, replica, environment, redis, jwks);
        }

        var gateway = builder.AddProject<Projects.ScalableApi_Gateway>(Gateway, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: HttpEndpoint, port: plainPort, isProxied: false)
            .WithEnvironment("ConnectionStrings__redis", redis)
            .WithEnvironment("Auth__JwksUrl", jwks)
            .WithEnvironment("Platform__DrainDelay", "00:00:01")
            .WithHttpHealthCheck(ReadinessPath, endpointName: HttpEndpoint);
        if (tls is not null)
        {
            // Kestrel's default certificate serves every https URL it is given (README: HTTPS).
            gateway.WithHttpsEndpoint(name: HttpsEndpoint, port: gatewayPort, isProxied: false)
                .WithEnvironment("Kestrel__Certificates__Default__Path", tls.CertificatePath)
                .WithEnvironment("Kestrel__Certificates__Default__KeyPath", tls.KeyPath);
        }
    }

    /// <summary>The endpoint clients use: https when the resource has one.</summary>
    public static string PublicEndpointOf(IResourceWithEndpoints resource) =>
        resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == HttpsEndpoint) ? HttpsEndpoint : HttpEndpoint;

    /// <summary>Resource name of a replica: <c>catalog-2</c>.</summary>
    public static string ReplicaName(string service, int replica) => $"{service}-{replica}";

    private static void AddReplica<TProject>(
        this IDistributedApplicationBuilder builder, string service, int replica, ServiceEnvironment environment, string redis, string jwks)
        where TProject : IProjectMetadata, new()
    {
        // Launch profiles of the services are ignored so the topology alone decides ports and settings.
        var resource = builder.AddProject<TProject>(ReplicaName(service, replica), options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: HttpEndpoint, port: FreePort.Next(), isProxied: false)
            .WithEnvironment("ConnectionStrings__redis", redis)
            .WithEnvironment("Discovery__Enabled", "true")
            .WithEnvironment("Auth__JwksUrl", jwks)
            // Locally the gateway notices a deregistration at once; a long drain only slows Ctrl+C.
            .WithEnvironment("Platform__DrainDelay", "00:00:01")
            .WithHttpHealthCheck(ReadinessPath, endpointName: HttpEndpoint);
        foreach (var (key, value) in environment.For(service))
        {
            resource.WithEnvironment(key, value);
        }
    }
}
