namespace ScalableApi.AppHost;

/// <summary>The services as Aspire project resources, each wired to its database, Redis and the users service's JWKS.</summary>
internal static class Topology
{
    public const string HttpEndpoint = "http";
    public const string ReadinessPath = "/health/ready";

    public static void AddScalableApi(this IDistributedApplicationBuilder builder, ServiceEnvironment environment, string redis)
    {
        var users = builder.AddService<Projects.ScalableApi_Users>(ServiceEnvironment.Users, environment, redis);
        var catalog = builder.AddService<Projects.ScalableApi_Catalog>(ServiceEnvironment.Catalog, environment, redis);
        var content = builder.AddService<Projects.ScalableApi_Content>(ServiceEnvironment.Content, environment, redis);

        // Every service (users included) validates tokens against the users service's public keys.
        var jwks = ReferenceExpression.Create($"{users.GetEndpoint(HttpEndpoint)}/.well-known/jwks.json");
        foreach (var service in new[] { users, catalog, content })
        {
            service.WithEnvironment("Auth__JwksUrl", jwks);
        }
    }

    private static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder, string name, ServiceEnvironment environment, string redis)
        where TProject : IProjectMetadata, new()
    {
        // Launch profiles of the services are ignored so the topology alone decides ports and settings.
        var service = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: HttpEndpoint)
            .WithEnvironment("ConnectionStrings__redis", redis)
            .WithHttpHealthCheck(ReadinessPath, endpointName: HttpEndpoint);
        foreach (var (key, value) in environment.For(name))
        {
            service.WithEnvironment(key, value);
        }

        return service;
    }
}
