using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ScalableApi.Platform.Hosting;

internal static class HostingExtensions
{
    /// <summary>
    /// The process itself: the shared <c>Platform</c> options, Kestrel's limits, the overload limit and the graceful
    /// drain a stop signal starts.
    /// </summary>
    public static WebApplicationBuilder AddPlatformHosting(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddValidatedOptions<PlatformOptions>(builder.Configuration, PlatformOptions.SectionName)
            .PostConfigure(o => o.ServiceName = serviceName);
        builder.Services.AddValidatedOptions<OverloadOptions>(builder.Configuration, OverloadOptions.SectionName);

        // From the validated options, not a second read of the section: a bad size stops start-up like any other key.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<PlatformOptions>>((kestrel, platform) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = platform.Value.MaxRequestBodyBytes;
        });

        builder.Services.AddSingleton<DrainState>();
        builder.Services.AddHostedService<GracefulDrainService>();
        return builder;
    }
}
