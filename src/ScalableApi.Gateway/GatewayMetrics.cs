using System.Diagnostics.Metrics;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Gateway;

/// <summary>The gateway's own instruments (exported on /metrics by prometheus-net's meter adapter).</summary>
internal static class GatewayMetrics
{
    private static readonly Meter Meter = new(PlatformMeters.Name + ".Gateway");

    /// <summary><c>gateway_upstream_retries_total{cluster}</c>: requests sent a second time to another destination.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("gateway_upstream_retries", description: "Requests retried on another destination.");
}
