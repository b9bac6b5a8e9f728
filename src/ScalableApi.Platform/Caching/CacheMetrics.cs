using System.Diagnostics.Metrics;
using ScalableApi.Platform.Observability;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// Cache hits and misses per level, and backplane traffic, on the <see cref="PlatformMeters.Name"/> meter: fed by
/// FusionCache's events (its own meter is left off <c>/metrics</c>: it says the same with other names).
/// </summary>
internal sealed class CacheMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _requests = meterFactory.Create(PlatformMeters.Name).CreateCounter<long>(
        "cache_requests_total",
        "{request}",
        "Cache lookups by cache, level (memory = L1, distributed = L2 Redis, overall = what the caller got) and result (hit, stale_hit, miss).")
        .WithLabels("cache", "level", "result");

    private readonly Counter<long> _backplaneMessages = meterFactory.Create(PlatformMeters.Name).CreateCounter<long>(
        "cache_backplane_messages_total", "{message}", "Backplane messages (evictions for other replicas) sent and received.")
        .WithLabels("cache", "direction");

    public void Attach(IFusionCache cache, string name)
    {
        Count(cache.Events, name, "overall");
        Count(cache.Events.Memory, name, "memory");
        Count(cache.Events.Distributed, name, "distributed");
        cache.Events.Backplane.MessagePublished += (_, _) => _backplaneMessages.Add(1, new("cache", name), new("direction", "sent"));
        cache.Events.Backplane.MessageReceived += (_, _) => _backplaneMessages.Add(1, new("cache", name), new("direction", "received"));
    }

    private void Count(ZiggyCreatures.Caching.Fusion.Events.FusionCacheCommonEventsHub events, string cache, string level)
    {
        events.Hit += (_, e) => _requests.Add(1, new("cache", cache), new("level", level), new("result", e.IsStale ? "stale_hit" : "hit"));
        events.Miss += (_, _) => _requests.Add(1, new("cache", cache), new("level", level), new("result", "miss"));
    }
}
