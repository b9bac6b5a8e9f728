using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// This gateway's cached responses: a size-bounded <see cref="MemoryCache"/> (compaction drops the least recently
/// read first), a generation that every purge advances (a miss that began before a purge can never store what it
/// read), and one upstream request per cold key at a time.
/// </summary>
internal sealed class EdgeCacheStore : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _inFlight = new(StringComparer.Ordinal);
    private readonly EdgeCacheMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _noFillAfterPurge;
    private long _generation;
    private long _lastPurgeTicks = DateTimeOffset.MinValue.UtcTicks;

    public EdgeCacheStore(IOptions<EdgeCacheOptions> options, EdgeCacheMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _noFillAfterPurge = options.Value.NoFillAfterPurge;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.SizeLimitBytes,
            // Over the limit a new entry is refused until compaction has made room: make room in larger steps.
            CompactionPercentage = 0.2,
            TrackStatistics = true,
            Clock = new TimeProviderClock(time),
        });
        metrics.ObserveBytes(() => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);
    }

    public long Generation => Volatile.Read(ref _generation);

    /// <summary>The entry for this request's variant, fresh or not; null when absent or purged since it was filled.</summary>
    public CachedResponse? Find(string key, IHeaderDictionary requestHeaders)
    {
        var found = _cache.Get(key);
        if (found is VaryMarker marker)
        {
            found = _cache.Get(Freshness.VariantKey(key, marker.Headers, requestHeaders));
        }

        return found is CachedResponse entry && entry.Generation == Generation ? entry : null;
    }

    /// <summary>Stores what a miss that began at <paramref name="started"/> read, unless a purge makes it doubtful.</summary>
    public void Store(string key, string[] varyBy, IHeaderDictionary requestHeaders, CachedResponse entry, DateTimeOffset started)
    {
        if (entry.Generation != Generation || started.UtcTicks - Volatile.Read(ref _lastPurgeTicks) < _noFillAfterPurge.Ticks)
        {
            return; // a write purged while this miss was upstream, or just before: what it read may be the old value
        }

        var expires = new MemoryCacheEntryOptions { AbsoluteExpiration = entry.StaleUntil, Size = entry.Size };
        if (varyBy.Length == 0)
        {
            _cache.Set(key, entry, expires);
            return;
        }

        _cache.Set(key, new VaryMarker(varyBy), new MemoryCacheEntryOptions { AbsoluteExpiration = entry.StaleUntil, Size = 64 + (varyBy.Length * 32) });
        _cache.Set(Freshness.VariantKey(key, varyBy, requestHeaders), entry, expires);
    }

    /// <summary>Forgets every entry: the generation first, so a racing fill is refused, then the memory.</summary>
    public void Purge(string source)
    {
        Volatile.Write(ref _lastPurgeTicks, _time.GetUtcNow().UtcTicks);
        Interlocked.Increment(ref _generation);
        _cache.Clear();
        _metrics.Purge(source);
    }

    /// <summary>
    /// True: the caller is the one request that goes upstream for <paramref name="key"/> and must pass
    /// <paramref name="leader"/> to <see cref="Release"/>. False: <paramref name="wait"/> completes when that request
    /// has stored (or not) what it got.
    /// </summary>
    public bool TryLead(string key, out TaskCompletionSource? leader, out Task wait)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = _inFlight.GetOrAdd(key, mine);
        wait = current.Task;
        leader = ReferenceEquals(current, mine) ? mine : null;
        return leader is not null;
    }

    /// <summary>Lets the waiters go; only the leader's own registration is removed (a later miss may have its own).</summary>
    public void Release(string key, TaskCompletionSource? leader)
    {
        if (leader is not null && _inFlight.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, leader)))
        {
            leader.TrySetResult();
        }
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>Expiry on the platform clock, so tests move time instead of waiting.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
