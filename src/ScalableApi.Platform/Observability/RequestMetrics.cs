using System.Diagnostics.Metrics;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// <c>http_request_duration_seconds{method,route,status}</c>: one observation per answered request, on the
/// <see cref="PlatformMeters.Name"/> meter of this host.
/// </summary>
internal sealed class RequestMetrics
{
    /// <summary>Today's buckets, from half a millisecond (a cache hit) to 10 s (a timeout).</summary>
    internal static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _duration;

    public RequestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PlatformMeters.Name);
        _duration = meter.CreateHistogram(
            "http_request_duration_seconds",
            unit: "s",
            description: "Duration of HTTP requests handled by this process.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <param name="method">A bounded method label (unknown methods are one value).</param>
    /// <param name="route">The endpoint's route template, never the raw path.</param>
    /// <param name="status">The status the client got, as text.</param>
    /// <param name="seconds">Time from the request's arrival to its answer.</param>
    public void Record(string method, string route, string status, double seconds) =>
        _duration.Record(seconds, new("method", method), new("route", route), new("status", status));
}
