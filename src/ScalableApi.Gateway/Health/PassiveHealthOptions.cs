namespace ScalableApi.Gateway.Health;

/// <summary>Configuration section <c>Gateway:PassiveHealth</c>: how real traffic ejects a failing replica.</summary>
public sealed class PassiveHealthOptions
{
    public const string SectionName = "Gateway:PassiveHealth";

    /// <summary>Subsection bound to YARP's <c>TransportFailureRateHealthPolicyOptions</c> (see <see cref="TransportFailureRateValidator"/>).</summary>
    public const string TransportFailureRateSection = SectionName + ":TransportFailureRate";

    /// <summary>
    /// Transport failures in a row (refused, reset, timed out, cut off mid-body) that eject a destination under
    /// <see cref="ConsecutiveTransportFailuresHealthPolicy"/>; a cluster's metadata
    /// <c>ConsecutiveTransportFailuresHealthPolicy.Threshold</c> overrides it. Default 3.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "must be from 1 to 1000 failures in a row")]
    public int ConsecutiveFailures { get; set; } = 3;

    /// <summary>Ejection length for clusters that set no <c>HealthCheck:Passive:ReactivationPeriod</c>. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "must be from 1 ms to 1 day")]
    public TimeSpan DefaultReactivationPeriod { get; set; } = TimeSpan.FromSeconds(10);
}
