using System.Diagnostics.Metrics;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// Which .NET meters' instruments reach <c>/metrics</c>, and by which path. prometheus-net's meter adapter bridges
/// other libraries' meters (runtime, Kestrel connections, HttpClient connections, Npgsql); our own meters and the
/// instruments whose <c>error.type</c> can carry an exception type name go through <see cref="PrometheusBridge"/>.
/// </summary>
/// <remarks>
/// Every bridged measurement costs a label lookup under a lock, so instruments recorded on every request are left
/// out where our own metric already says the same thing: <c>http_request_duration_seconds</c> covers ASP.NET Core's
/// server request duration, routing, authentication and authorization counters; <c>gateway_upstream_*</c> covers
/// HttpClient's per-request instruments; <c>cache_requests_total</c> covers FusionCache's.
/// </remarks>
internal static class PrometheusExport
{
    /// <summary>OpenTelemetry's value for an <c>error.type</c> that the instrumentation does not name itself.</summary>
    internal const string OtherErrorType = "_OTHER";


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
        // A connection's idle/active flip, twice per request: a gateway's upstream requests, counted again.
        "http.client.open_connections",
    };

    /// <summary>
    /// Kestrel's memory pool records a measurement for every block rented and returned (several per request); no
    /// dashboard or alert reads it, and it cost ~2 % of a gateway's CPU in (a) (issue #13.4's profile).
    /// </summary>
    private const string MemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    /// <summary>
    /// The event sources prometheus-net's event counter adapter listens to. Only the runtime's: listening to
    /// Kestrel's, Hosting's and HttpClient's makes each write a start and a stop event for every request and every
    /// upstream call (~1.5 % of a gateway's CPU in (a)), for counters their meters already export.
    /// </summary>
    public static bool IncludesEventSource(string name) => name == "System.Runtime";

    /// <summary>
    /// Instruments whose <c>error.type</c> is an exception's type name when nothing better is known
    /// (<c>dotnet.exceptions</c> always; Kestrel and DNS for unexpected failures; the exception handler's count).
    /// <c>/metrics</c> is readable by whoever reaches it: type names say which code failed how, so these are bridged
    /// with <see cref="ExportedErrorType"/> applied, under the names the adapter gave them.
    /// </summary>
    private static readonly HashSet<(string Meter, string Instrument)> ErrorTypedInstruments =
    [
        ("System.Runtime", "dotnet.exceptions"),
        ("Microsoft.AspNetCore.Diagnostics", "aspnetcore.diagnostics.exceptions"),
        ("Microsoft.AspNetCore.Server.Kestrel", "kestrel.connection.duration"),
        ("Microsoft.AspNetCore.Server.Kestrel", "kestrel.tls_handshake.duration"),
        ("System.Net.NameResolution", "dns.lookup.duration"),
    ];

    /// <summary>What prometheus-net's meter adapter exports (the process-wide part of <c>/metrics</c>).</summary>
    public static bool Includes(Instrument instrument) =>
        !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal)
        && !PlatformMeters.IsOurs(instrument.Meter.Name)
        && !IsErrorTyped(instrument)
        && !PerRequestMeters.Contains(instrument.Meter.Name)
        && instrument.Meter.Name != MemoryPoolMeter
        && !instrument.Meter.Name.StartsWith("ZiggyCreatures.Caching.Fusion", StringComparison.Ordinal)
        && !(instrument.Meter.Name == "System.Net.Http" && PerRequestHttpClientInstruments.Contains(instrument.Name));

    /// <summary>Another library's instrument that <see cref="PrometheusBridge"/> exports in the adapter's place.</summary>
    public static bool IsErrorTyped(Instrument instrument) => ErrorTypedInstruments.Contains((instrument.Meter.Name, instrument.Name));

    /// <summary>
    /// The value exported for a tag: a <c>*.type</c> tag (<c>error.type</c>, <c>aspnetcore.diagnostics.handler.type</c>)
    /// whose value names a .NET type (a dotted name, or one ending in <c>Exception</c>) becomes
    /// <see cref="OtherErrorType"/>; the instruments' own reasons (<c>connection_reset</c>, <c>host_not_found</c>, …)
    /// stay, so the series still tell failures apart by what happened.
    /// </summary>
    public static string ExportedErrorType(string key, string value) =>
        key.EndsWith("type", StringComparison.Ordinal)
        && (value.Contains('.', StringComparison.Ordinal) || value.EndsWith("Exception", StringComparison.Ordinal))
            ? OtherErrorType
            : value;
}
