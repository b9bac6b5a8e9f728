namespace ScalableApi.Platform.Observability;

/// <summary>
/// Names of the <see cref="System.Diagnostics.Metrics.Meter"/>s the platform and services publish under, and the
/// convention every instrument of ours follows.
/// </summary>
/// <remarks>
/// <para>
/// Meters: <c>ScalableApi</c> for the platform's own instruments (requests, caching, overload), <c>ScalableApi.X</c>
/// for a component's (<c>ScalableApi.Gateway</c>, <c>ScalableApi.Jobs</c>, …). Create them with the host's
/// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> (from DI), never with <c>new Meter(…)</c>: the meter then
/// belongs to that host, so two hosts in one process (tests) never see each other's series.
/// </para>
/// <para>
/// Instruments: the instrument's name IS the Prometheus series name, written in Prometheus style with its unit and,
/// for counters, <c>_total</c> (<c>http_request_duration_seconds</c>, <c>cache_requests_total</c>); the unit goes in
/// <c>unit</c> as UCUM (<c>s</c>, <c>{request}</c>) for OTLP; the description becomes the <c># HELP</c> line; tag
/// keys are the label names, snake_case, and appear in alphabetical order whatever order the call passes them in.
/// Histogram buckets come from <c>InstrumentAdvice.HistogramBucketBoundaries</c> (both on <c>/metrics</c> and by
/// OTLP). Counter → Prometheus counter, UpDownCounter / ObservableGauge / ObservableUpDownCounter → gauge,
/// ObservableCounter → counter, Histogram → histogram. A series exists once something is recorded with its labels:
/// a counter that must show 0 from start-up is an ObservableCounter over a field. An observable instrument's series
/// that its callback no longer reports disappear at the next scrape.
/// </para>
/// <para>
/// <see cref="PrometheusBridge"/> puts these meters (only this host's) on <c>/metrics</c> under exactly those names;
/// OpenTelemetry exports them by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the meter filter is
/// <c>ScalableApi*</c>). Other libraries' meters (runtime, Kestrel, HttpClient, Npgsql) are exported by
/// prometheus-net's meter adapter as <c>{meter}_{instrument}</c>, lower case, dots as underscores.
/// </para>
/// </remarks>
public static class PlatformMeters
{
    public const string Name = "ScalableApi";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Diagnostics.Metrics.Instrument, string[]> Declared = [];

    /// <summary>
    /// Names the labels <paramref name="instrument"/> is recorded with, so <c>/metrics</c> lists its series (HELP and
    /// TYPE) from start-up, before the first measurement: dashboards, alerts on <c>absent()</c> and the deploy checks
    /// see every series the product exports, as they did when the series were declared statically.
    /// </summary>
    public static T WithLabels<T>(this T instrument, params string[] labels)
        where T : System.Diagnostics.Metrics.Instrument
    {
        Declared.AddOrUpdate(instrument, labels);
        return instrument;
    }

    internal static string[]? DeclaredLabels(System.Diagnostics.Metrics.Instrument instrument) =>
        Declared.TryGetValue(instrument, out var labels) ? labels : null;

    /// <summary>Whether <paramref name="meterName"/> is one of ours: <c>ScalableApi</c> or <c>ScalableApi.*</c>.</summary>
    public static bool IsOurs(string meterName) =>
        meterName.StartsWith(Name, StringComparison.Ordinal)
        && (meterName.Length == Name.Length || meterName[Name.Length] == '.');
}
