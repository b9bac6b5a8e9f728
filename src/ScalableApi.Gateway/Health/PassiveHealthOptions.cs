namespace ScalableApi.Gateway.Health;

/// <summary>Configuration section <c>Gateway:PassiveHealth</c>: how real traffic ejects a failing replica.</summary>
public sealed class PassiveHealthOptions
{
    public const string SectionName = "Gateway:PassiveHealth";

    /// <summary>
    /// Transport failures in a row (refused, reset, timed out, cut off mid-body) that eject a destination under
    /// <see cref="ConsecutiveTransportFailuresHealthPolicy"/>; a cluster's metadata
    /// <c>ConsecutiveTransportFailuresHealthPolicy.Threshold</c> overrides it. Default 3.
    /// </summary>
    public int ConsecutiveFailures { get; set; } = 3;

    /// <summary>Ejection length for clusters that set no <c>HealthCheck:Passive:ReactivationPeriod</c>. Default 10 s.</summary>
    public TimeSpan DefaultReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);
}
