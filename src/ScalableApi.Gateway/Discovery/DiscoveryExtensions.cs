namespace ScalableApi.Gateway.Discovery;

/// <summary>Destinations that follow the replicas registered in the Redis-protocol store.</summary>
internal static class DiscoveryExtensions
{
    public static WebApplicationBuilder AddGatewayDiscovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayDiscoveryOptions>(builder.Configuration, GatewayDiscoveryOptions.SectionName);
        // Discovered replicas are configuration keys too, added last so they merge with static destinations.
        var discovered = new DiscoveredDestinationsSource();
        ((IConfigurationBuilder)builder.Configuration).Add(discovered);
        builder.Services.AddSingleton(discovered);
        if (builder.Configuration.GetRedisConnectionString() is not null)
        {
            builder.Services.AddSingleton<RegistryWatcher>();
            // Whether it runs is read from the one binding of Gateway:Discovery, once the container exists.
            builder.Services.AddSingleton<IHostedService>(static services =>
                services.GetRequiredService<IOptions<GatewayDiscoveryOptions>>().Value.Enabled
                    ? services.GetRequiredService<RegistryWatcher>()
                    : new DiscoveryDisabled());
        }

        return builder;
    }

    /// <summary>Stands in for the watcher when <c>Gateway:Discovery:Enabled</c> is false: static destinations only.</summary>
    private sealed class DiscoveryDisabled : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
