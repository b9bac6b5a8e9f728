using System.Diagnostics.Metrics;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// Which .NET meters' instruments prometheus-net bridges onto <c>/metrics</c>. Every bridged measurement costs a
/// label lookup under a lock, so instruments recorded on every request are left out where our own metric already
/// says the same thing: <c>http_request_duration_seconds</c> covers ASP.NET Core's server request duration, routing,
/// authentication and authorization counters; <c>gateway_upstream_*</c> covers HttpClient's per-request instruments;
/// <c>cache_requests_total</c> covers FusionCache's. Connection-level, database, runtime and our own meters stay.
/// </summary>
internal static class PrometheusExport
{
    private static readonly HashSet<string> PerRequestMeters = new(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
    };

    private static readonly HashSet<string> PerRequestHttpClientInstruments = new(StringComparer.Ordinal)
    {
        "http.client.request.duration",
        "http.client.active_requests",
        "http.client.request.time_in_queue",
    };

    public static bool Includes(Instrument instrument) =>
        !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal)
        && !PerRequestMeters.Contains(instrument.Meter.Name)
        && !instrument.Meter.Name.StartsWith("ZiggyCreatures.Caching.Fusion", StringComparison.Ordinal)
        && !(instrument.Meter.Name == "System.Net.Http" && PerRequestHttpClientInstruments.Contains(instrument.Name));
}
