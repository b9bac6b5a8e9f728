namespace ScalableApi.Platform.Observability;

/// <summary>
/// Name of the <see cref="System.Diagnostics.Metrics.Meter"/> the platform and services publish under.
/// prometheus-net exports every meter on <c>/metrics</c>; OpenTelemetry exports this one by OTLP.
/// </summary>
public static class PlatformMeters
{
    public const string Name = "ScalableApi";
}
