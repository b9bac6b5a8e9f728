using Prometheus;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// Cache hits and misses per level, and backplane traffic, as Prometheus series (prometheus-net directly, like the
/// gateway's metrics, so names and labels are exactly what dashboards expect). Fed by FusionCache's events.
/// </summary>
internal static class CacheMetrics
{
    private static readonly Counter Requests = Metrics.CreateCounter(
        "cache_requests_total",
        "Cache lookups by cache, level (memory = L1, distributed = L2 Redis, overall = what the caller got) and result (hit, stale_hit, miss).",
        "cache", "level", "result");

    private static readonly Counter BackplaneMessages = Metrics.CreateCounter(
        "cache_backplane_messages_total", "Backplane messages (evictions for other replicas) sent and received.", "cache", "direction");

    public static void Attach(IFusionCache cache, string name)
    {
        Count(cache.Events, name, "overall");
        Count(cache.Events.Memory, name, "memory");
        Count(cache.Events.Distributed, name, "distributed");
        var published = BackplaneMessages.WithLabels(name, "sent");
        var received = BackplaneMessages.WithLabels(name, "received");
        cache.Events.Backplane.MessagePublished += (_, _) => published.Inc();
        cache.Events.Backplane.MessageReceived += (_, _) => received.Inc();
    }

    private static void Count(ZiggyCreatures.Caching.Fusion.Events.FusionCacheCommonEventsHub events, string cache, string level)
    {
        var hit = Requests.WithLabels(cache, level, "hit");
        var stale = Requests.WithLabels(cache, level, "stale_hit");
        var miss = Requests.WithLabels(cache, level, "miss");
        events.Hit += (_, e) => (e.IsStale ? stale : hit).Inc();
        events.Miss += (_, _) => miss.Inc();
    }
}
