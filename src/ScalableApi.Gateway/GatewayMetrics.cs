using System.Runtime.CompilerServices;
using Prometheus;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway;

/// <summary>
/// The gateway's own Prometheus series on /metrics. Defined with prometheus-net directly (like the platform's
/// <c>http_request_duration_seconds</c>) so names and labels are exactly what dashboards and alerts expect.
/// </summary>
public sealed class GatewayMetrics : IDisposable
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

    // The proxies whose destinations the health gauge shows. Normally one per process; tests host several at once,
    // and prometheus-net's registry is process-wide, so one callback serves them all and a stopped one leaves.
    private static readonly List<IProxyStateLookup> LiveProxies = [];

    private readonly IProxyStateLookup _proxyState;

    static GatewayMetrics() =>
        // Health is read at scrape time: always current, and no timer to keep.
        Metrics.DefaultRegistry.AddBeforeCollectCallback(RefreshHealth);

    public GatewayMetrics(IProxyStateLookup proxyState)
    {
        _proxyState = proxyState;
        lock (LiveProxies)
        {
            LiveProxies.Add(proxyState);
        }
    }

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

    public void Dispose()
    {
        lock (LiveProxies)
        {
            LiveProxies.Remove(_proxyState);
        }
    }

    private static void RefreshHealth()
    {
        var current = new HashSet<(string Cluster, string Destination)>();
        lock (LiveProxies)
        {
            foreach (var proxyState in LiveProxies)
            {
                Refresh(proxyState, current);
            }
        }

        // A replica that left (discovery) is no destination any more: its series goes, rather than claiming 1 forever.
        foreach (var labels in HealthyGauge.GetAllLabelValues())
        {
            if (!current.Contains((labels[0], labels[1])))
            {
                HealthyGauge.RemoveLabelled(labels);
            }
        }
    }

    private static void Refresh(IProxyStateLookup proxyState, HashSet<(string Cluster, string Destination)> current)
    {
        foreach (var cluster in proxyState.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                var healthy = destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
                HealthyGauge.WithLabels(cluster.ClusterId, destination.DestinationId).Set(healthy ? 1 : 0);
                current.Add((cluster.ClusterId, destination.DestinationId));
            }
        }
    }
}
