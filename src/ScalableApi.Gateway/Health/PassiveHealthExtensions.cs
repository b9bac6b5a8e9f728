using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace ScalableApi.Gateway.Health;

/// <summary>Passive health: real traffic ejects a failing replica (active checks are YARP's, per cluster).</summary>
internal static class PassiveHealthExtensions
{
    public static WebApplicationBuilder AddGatewayPassiveHealth(this WebApplicationBuilder builder)
    {
        // Passive health that honours each cluster's ReactivationPeriod (see ConsecutiveTransportFailuresHealthPolicy);
        // YARP's TransportFailureRate stays selectable, with its detection window configurable.
        builder.Services.AddValidatedOptions<PassiveHealthOptions>(builder.Configuration, PassiveHealthOptions.SectionName);
        builder.Services.AddOptions<TransportFailureRateHealthPolicyOptions>()
            .Bind(builder.Configuration.GetSection(PassiveHealthOptions.TransportFailureRateSection))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TransportFailureRateHealthPolicyOptions>, TransportFailureRateValidator>();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveTransportFailuresHealthPolicy>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigFilter, ThresholdMetadataFilter>());
        return builder;
    }
}
