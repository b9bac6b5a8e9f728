using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Health;

/// <summary>
/// Passive health in YARP's own style: a destination whose last N proxied requests all failed at the transport
/// level is ejected for exactly the cluster's <c>ReactivationPeriod</c>, then gets traffic again (as Unknown, like
/// YARP's policies; one success makes it Healthy, N more failures eject it again).
/// </summary>
/// <remarks>
/// Beside YARP's <c>TransportFailureRate</c>, which keeps an ejected destination out for
/// max(ReactivationPeriod, DetectionWindowSize) — 60 s by default whatever the period says — so that the failures
/// still in its window do not eject the destination again the moment it returns. Counting failures in a row needs
/// no window: it is reset by any success and by the ejection itself, so the configured period holds, and it needs
/// no minimum traffic to act. Errors the client caused (it went away, its body broke) do not count.
/// </remarks>
public sealed class ConsecutiveTransportFailuresHealthPolicy(IDestinationHealthUpdater healthUpdater, IOptions<PassiveHealthOptions> options) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ConsecutiveTransportFailures";

    public const string ThresholdMetadataName = "ConsecutiveTransportFailuresHealthPolicy.Threshold";

    private readonly ConditionalWeakTable<DestinationState, FailureCount> _failures = [];
    private readonly ConditionalWeakTable<ClusterModel, StrongBox<int>> _thresholds = [];

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failures = _failures.GetValue(destination, static _ => new FailureCount());
        if (!IsTransportFailure(context))
        {
            failures.Reset();
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Healthy, ReactivationPeriod(cluster));
            return;
        }

        if (failures.Increment() >= Threshold(cluster.Model))
        {
            // From zero again: after the period the destination gets the full threshold before it is ejected anew.
            failures.Reset();
            healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, ReactivationPeriod(cluster));
        }
    }

    /// <summary>The destination failed, not the client: the errors YARP's own passive policy counts.</summary>
    internal static bool IsTransportFailure(HttpContext context) =>
        context.Features.Get<IForwarderErrorFeature>() is { } error
        && !context.RequestAborted.IsCancellationRequested
        && error.Error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination
            or ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination;

    private TimeSpan ReactivationPeriod(ClusterState cluster) =>
        cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? options.Value.DefaultReactivationPeriod;

    /// <summary>A threshold as metadata carries it: a whole number from 1 to 1000.</summary>
    internal static bool TryParseThreshold(string? text, out int threshold) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out threshold) && threshold is >= 1 and <= 1000;

    // Parsed once per cluster configuration (a reload makes a new ClusterModel). Both sources are checked before they
    // get here (ThresholdMetadataFilter, PassiveHealthOptions at start-up), so there is nothing to fall back from.
    private int Threshold(ClusterModel cluster) => _thresholds.GetValue(cluster, c => new StrongBox<int>(
        c.Config.Metadata is { } metadata
        && metadata.TryGetValue(ThresholdMetadataName, out var text)
        && TryParseThreshold(text, out var threshold)
            ? threshold
            : options.Value.ConsecutiveFailures)).Value;

    private sealed class FailureCount
    {
        private int _count;

        public int Increment() => Interlocked.Increment(ref _count);

        public void Reset()
        {
            // Successes are the common case: skip the write when there is nothing to clear.
            if (Volatile.Read(ref _count) != 0)
            {
                Volatile.Write(ref _count, 0);
            }
        }
    }
}
