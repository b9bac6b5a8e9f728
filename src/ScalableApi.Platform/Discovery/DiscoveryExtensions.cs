using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Discovery;

internal static class DiscoveryExtensions
{
    /// <summary>
    /// The registry of live instances in the store, and this replica's own registration when
    /// <c>Discovery:Enabled</c>; both need the store, so neither exists without one.
    /// </summary>
    public static WebApplicationBuilder AddPlatformDiscovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DiscoveryOptions>(builder.Configuration, DiscoveryOptions.SectionName);
        if (builder.Configuration.GetRedisConnectionString() is null)
        {
            return builder;
        }

        builder.Services.AddSingleton<ServiceRegistry>();
        if (builder.Configuration.GetValue<bool>($"{DiscoveryOptions.SectionName}:Enabled"))
        {
            builder.Services.AddHostedService<ServiceRegistrar>();
        }

        return builder;
    }
}
