using System.Runtime.CompilerServices;
using Prometheus;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway;

/// <summary>
/// The gateway's own Prometheus series on /metrics. Defined with prometheus-net directly (like the platform's
/// <c>http_request_duration_seconds</c>) so names and labels are exactly what dashboards and alerts expect.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly Counter RequestsCounter = Metrics.CreateCounter(
        "gateway_upstream_requests_total", "Requests sent to a destination, by outcome (status class, or error when no response came).",
        "cluster", "destination", "status_class");

    private static readonly Histogram DurationHistogram = Metrics.CreateHistogram(
        "gateway_upstream_duration_seconds", "Time from choosing a destination to the end of its response headers.",
        new HistogramConfiguration { LabelNames = ["cluster"], Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter RetriesCounter = Metrics.CreateCounter(
        "gateway_upstream_retries_total", "Idempotent requests retried on another destination.", "cluster");

    private static readonly Counter EjectionsCounter = Metrics.CreateCounter(
        "gateway_upstream_ejections_total", "Times passive health checks ejected a destination (failed attempts that found it ejected, counted once per ejection).", "cluster", "destination");

    private static readonly Gauge HealthyGauge = Metrics.CreateGauge(
        "gateway_upstream_healthy", "1 when a destination receives traffic, 0 when health checks exclude it.", "cluster", "destination");

    private static readonly Counter RateLimitRejectionsCounter = Metrics.CreateCounter(
        "gateway_ratelimit_rejections_total", "Requests answered 429 by a rate-limit policy (anonymous, user, register, login).", "policy");

    private static readonly Counter RateLimitStoreErrorsCounter = Metrics.CreateCounter(
        "gateway_ratelimit_store_errors_total", "Rate-limit checks the store could not answer (then failed open or closed as configured).");

    public GatewayMetrics(IProxyStateLookup proxyState) =>
        // Health is read at scrape time: always current, and no timer to keep.
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => RefreshHealth(proxyState));

    public void UpstreamRequest(string cluster, string destination, string statusClass, double seconds)
    {
        RequestsCounter.WithLabels(cluster, destination, statusClass).Inc();
        DurationHistogram.WithLabels(cluster).Observe(seconds);
    }

    public void Retry(string cluster) => RetriesCounter.WithLabels(cluster).Inc();

    // Per destination: was it ejected when last seen? An ejection is counted on the way in, once, however many
    // concurrent attempts fail against it; the mark clears when an attempt finds it back in service.
    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _ejected = [];

    /// <summary>After an attempt on <paramref name="destination"/>: counts an ejection when passive health newly shows it.</summary>
    public void PassiveHealthSeen(string cluster, DestinationState destination)
    {
        var ejected = destination.Health.Passive == DestinationHealth.Unhealthy ? 1 : 0;
        var seen = _ejected.GetValue(destination, static _ => new StrongBox<int>());
        if (Volatile.Read(ref seen.Value) != ejected && Interlocked.Exchange(ref seen.Value, ejected) == 0 && ejected == 1)
        {
            EjectionsCounter.WithLabels(cluster, destination.DestinationId).Inc();
        }
    }

    public void RateLimitRejection(string policy) => RateLimitRejectionsCounter.WithLabels(policy).Inc();

    public void RateLimitStoreError() => RateLimitStoreErrorsCounter.Inc();

    private static void RefreshHealth(IProxyStateLookup proxyState)
    {
        foreach (var cluster in proxyState.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                var healthy = destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
                HealthyGauge.WithLabels(cluster.ClusterId, destination.DestinationId).Set(healthy ? 1 : 0);
            }
        }
    }
}
