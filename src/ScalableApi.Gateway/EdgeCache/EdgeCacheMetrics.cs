using System.Diagnostics.Metrics;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>The edge cache's instruments, on the gateway's meter (<see cref="GatewayMetrics.MeterName"/>).</summary>
internal sealed class EdgeCacheMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _purges;
    private readonly Counter<long> _flushes;
    private readonly Meter _meter;
    private Func<long> _bytes = static () => 0;
    private Func<bool> _purgeChannelUp = static () => true;

    // Totals kept beside the counter so the dashboard reads the gateway's own figures without a MeterListener.
    private long _hits;
    private long _misses;
    private long _stale;
    private long _bypasses;

    public EdgeCacheMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(GatewayMetrics.MeterName);
        _requests = _meter.CreateCounter<long>(
            "gateway_edge_cache_requests_total", "{request}", "GET/HEAD requests on cached routes: hit, miss (went upstream), stale (served past freshness because the upstream failed), bypass (signed in, cookie, consistency token).")
            .WithLabels("route", "result");
        _purges = _meter.CreateCounter<long>(
            "gateway_edge_cache_purges_total", "{purge}", "Purges of the edge cache: local (a write through this gateway), remote (another gateway's write), reconnect (the purge channel came back).")
            .WithLabels("source");
        _flushes = _meter.CreateCounter<long>(
            "gateway_edge_cache_flushes_total", "{purge}", "Purges that emptied the whole edge cache (a write that named no keys, a cascade of more than 512, the purge channel back), by source as for purges: what a low hit rate is looked for in first.")
            .WithLabels("source");
        _meter.CreateObservableGauge("gateway_edge_cache_bytes", () => _bytes(), "By", "Estimated memory held by edge cache entries.");
        _meter.CreateObservableGauge(
            "gateway_edge_cache_purge_channel_up", () => _purgeChannelUp() ? 1 : 0, "{state}", "1 while every gateway's purge is sure to reach this one (or there is no store); 0 while the channel is down and hits are capped in age.");
    }

    public void Request(string route, string result)
    {
        _requests.Add(1, new("route", route), new("result", result));
        switch (result)
        {
            case "hit":
                Interlocked.Increment(ref _hits);
                break;
            case "miss":
                Interlocked.Increment(ref _misses);
                break;
            case "stale":
                Interlocked.Increment(ref _stale);
                break;
            default:
                Interlocked.Increment(ref _bypasses);
                break;
        }
    }

    /// <summary>Totals since start-up and the memory held now, for the dashboard.</summary>
    public EdgeCacheTotals Totals() => new(
        Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _stale), Interlocked.Read(ref _bypasses), _bytes());

    public void Purge(string source) => _purges.Add(1, new KeyValuePair<string, object?>("source", source));

    public void Flush(string source) => _flushes.Add(1, new KeyValuePair<string, object?>("source", source));

    public void ObserveBytes(Func<long> bytes) => _bytes = bytes;

    public void ObservePurgeChannel(Func<bool> up) => _purgeChannelUp = up;
}

internal readonly record struct EdgeCacheTotals(long Hits, long Misses, long Stale, long Bypasses, long Bytes);
