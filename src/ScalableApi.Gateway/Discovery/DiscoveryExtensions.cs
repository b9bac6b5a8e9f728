namespace ScalableApi.Gateway.Discovery;

/// <summary>Destinations that follow the replicas registered in the Redis-protocol store.</summary>
internal static class DiscoveryExtensions
{
    public static WebApplicationBuilder AddGatewayDiscovery(this WebApplicationBuilder builder) =>
        builder.AddFeature<GatewayDiscoveryOptions>(GatewayDiscoveryOptions.SectionName, services =>
        {
            // Discovered replicas are configuration keys too, added last so they merge with static destinations.
            var discovered = new DiscoveredDestinationsSource();
            ((IConfigurationBuilder)builder.Configuration).Add(discovered);
            services.AddSingleton(discovered);
            if (builder.Configuration.GetRedisConnectionString() is not null)
            {
                services.AddSingleton<RegistryWatcher>();
                // Whether it runs is read from the one binding of Gateway:Discovery, once the container exists.
                services.AddSingleton<IHostedService>(static provider =>
                    provider.GetRequiredService<IOptions<GatewayDiscoveryOptions>>().Value.Enabled
                        ? provider.GetRequiredService<RegistryWatcher>()
                        : new DiscoveryDisabled());
            }
        });

    /// <summary>Stands in for the watcher when <c>Gateway:Discovery:Enabled</c> is false: static destinations only.</summary>
    private sealed class DiscoveryDisabled : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
