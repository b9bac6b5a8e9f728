using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ScalableApi.Platform.Observability;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway;

/// <summary>
/// The gateway's own instruments, on the <c>ScalableApi.Gateway</c> meter of this host (see
/// <see cref="PlatformMeters"/> for how they reach <c>/metrics</c> and OTLP).
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = PlatformMeters.Name + ".Gateway";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _rateLimitRejections;
    private readonly IProxyStateLookup _proxyState;

    // Per destination: was it ejected when last seen? An ejection is counted on the way in, once, however many
    // concurrent attempts fail against it; the mark clears when an attempt finds it back in service.
    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _ejected = [];

    // Read at scrape time, so it shows 0 from start-up.
    private long _rateLimitStoreErrors;

    public GatewayMetrics(IMeterFactory meterFactory, IProxyStateLookup proxyState)
    {
        _proxyState = proxyState;
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(
            "gateway_upstream_requests_total", "{request}", "Requests sent to a destination, by outcome (status class, or error when no response came).")
            .WithLabels("cluster", "destination", "status_class");
        _duration = meter.CreateHistogram(
            "gateway_upstream_duration_seconds",
            unit: "s",
            description: "Time from choosing a destination to the end of its response headers.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] })
            .WithLabels("cluster");
        _retries = meter.CreateCounter<long>("gateway_upstream_retries_total", "{request}", "Idempotent requests retried on another destination.")
            .WithLabels("cluster");
        _ejections = meter.CreateCounter<long>(
            "gateway_upstream_ejections_total", "{ejection}", "Times passive health checks ejected a destination (failed attempts that found it ejected, counted once per ejection).")
            .WithLabels("cluster", "destination");
        // Health is read at scrape time from this host's proxy state: always current, and a destination that left
        // (discovery) is simply no longer reported, so its series goes rather than claiming 1 forever.
        meter.CreateObservableGauge("gateway_upstream_healthy", ObserveHealth, "1", "1 when a destination receives traffic, 0 when health checks exclude it.");
        _rateLimitRejections = meter.CreateCounter<long>(
            "gateway_ratelimit_rejections_total", "{request}", "Requests answered 429 by a rate-limit policy (anonymous, user, register, login).")
            .WithLabels("policy");
        meter.CreateObservableCounter(
            "gateway_ratelimit_store_errors_total",
            () => Interlocked.Read(ref _rateLimitStoreErrors),
            "{error}",
            "Rate-limit checks the store could not answer (then failed open or closed as configured).");
    }

    public void UpstreamRequest(string cluster, string destination, string statusClass, double seconds)
    {
        _requests.Add(1, new("cluster", cluster), new("destination", destination), new("status_class", statusClass));
        _duration.Record(seconds, new KeyValuePair<string, object?>("cluster", cluster));
    }

    public void Retry(string cluster) => _retries.Add(1, new KeyValuePair<string, object?>("cluster", cluster));

    /// <summary>After an attempt on <paramref name="destination"/>: counts an ejection when passive health newly shows it.</summary>
    public void PassiveHealthSeen(string cluster, DestinationState destination)
    {
        var ejected = destination.Health.Passive == DestinationHealth.Unhealthy ? 1 : 0;
        var seen = _ejected.GetValue(destination, static _ => new StrongBox<int>());
        if (Volatile.Read(ref seen.Value) != ejected && Interlocked.Exchange(ref seen.Value, ejected) == 0 && ejected == 1)
        {
            _ejections.Add(1, new("cluster", cluster), new("destination", destination.DestinationId));
        }
    }

    public void RateLimitRejection(string policy) => _rateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void RateLimitStoreError() => Interlocked.Increment(ref _rateLimitStoreErrors);

    private IEnumerable<Measurement<int>> ObserveHealth()
    {
        foreach (var cluster in _proxyState.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                var healthy = destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
                yield return new Measurement<int>(healthy ? 1 : 0, new("cluster", cluster.ClusterId), new("destination", destination.DestinationId));
            }
        }
    }
}
