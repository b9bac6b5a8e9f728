using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace ScalableApi.Gateway.Health;

/// <summary>Passive health: real traffic ejects a failing replica (active checks are YARP's, per cluster).</summary>
internal static class PassiveHealthExtensions
{
    /// <summary>
    /// Passive health that honours each cluster's ReactivationPeriod (see ConsecutiveTransportFailuresHealthPolicy);
    /// YARP's TransportFailureRate stays selectable, with its detection window configurable.
    /// </summary>
    public static WebApplicationBuilder AddGatewayPassiveHealth(this WebApplicationBuilder builder) =>
        builder.AddFeature<PassiveHealthOptions>(PassiveHealthOptions.SectionName, services =>
        {
            // YARP's own class, without annotations: the helper binds it, TransportFailureRateValidator holds its rules.
            services.AddValidatedOptions<TransportFailureRateHealthPolicyOptions>(builder.Configuration, PassiveHealthOptions.TransportFailureRateSection);
            services.AddSingleton<IValidateOptions<TransportFailureRateHealthPolicyOptions>, TransportFailureRateValidator>();
            services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveTransportFailuresHealthPolicy>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigFilter, ThresholdMetadataFilter>());
        });
}
