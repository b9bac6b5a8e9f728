using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// This gateway's cached responses: a size-bounded <see cref="MemoryCache"/> (compaction drops the least recently
/// read first), purges by surrogate key, and one upstream request per cold key at a time.
/// </summary>
/// <remarks>
/// A purge does not look for the entries of a key: it advances a purge sequence and records it in the key's slot
/// (a fixed array: keys are hashed onto <see cref="SlotCount"/> slots, so the index is bounded whatever the keys; two
/// keys sharing a slot only purge each other, which is safe). An entry is alive while none of its slots was purged
/// after the miss that filled it began, so a miss in flight while a write commits never stores the old value, and
/// a dead entry is dropped when it is next looked up, or by expiry and compaction.
/// </remarks>
internal sealed class EdgeCacheStore : IDisposable
{
    public const int SlotCount = 8192;

    /// <summary>The key of responses that declared none: every key purge reaches them too (they may depend on anything).</summary>
    private const string Unkeyed = "*";

    private readonly MemoryCache _cache;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _inFlight = new(StringComparer.Ordinal);
    private readonly long[] _slotPurgedAt = new long[SlotCount];
    private readonly long[] _slotPurgedTicks = new long[SlotCount];
    private readonly EdgeCacheMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _noFillAfterPurge;
    private long _sequence;
    private long _fullPurgeAt;
    private long _lastFullPurgeTicks = DateTimeOffset.MinValue.UtcTicks;

    public EdgeCacheStore(IOptions<EdgeCacheOptions> options, EdgeCacheMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _noFillAfterPurge = options.Value.NoFillAfterPurge;
        Array.Fill(_slotPurgedTicks, DateTimeOffset.MinValue.UtcTicks);
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

    /// <summary>The purge sequence now: a miss records it when it begins.</summary>
    public long Generation => Volatile.Read(ref _sequence);

    /// <summary>The slots of a response's <c>Surrogate-Key</c> header (space-separated keys); none declared is its own key.</summary>
    public static int[] Slots(string? surrogateKeys)
    {
        var keys = (surrogateKeys ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return keys.Length == 0 ? [Slot(Unkeyed)] : [.. keys.Select(Slot).Distinct()];
    }

    /// <summary>The entry for this request's variant, fresh or not; null when absent or purged since it was filled.</summary>
    public CachedResponse? Find(string key, IHeaderDictionary requestHeaders)
    {
        var found = _cache.Get(key);
        var entryKey = key;
        if (found is VaryMarker marker)
        {
            entryKey = Freshness.VariantKey(key, marker.Headers, requestHeaders);
            found = _cache.Get(entryKey);
        }

        if (found is not CachedResponse entry)
        {
            return null;
        }

        if (!Alive(entry))
        {
            _cache.Remove(entryKey); // purged: give its memory back now rather than at compaction
            return null;
        }

        return entry;
    }

    /// <summary>Whether no purge of the entry's keys (nor of everything) happened since its miss began.</summary>
    public bool Alive(CachedResponse entry)
    {
        if (Volatile.Read(ref _fullPurgeAt) > entry.Generation)
        {
            return false;
        }

        foreach (var slot in entry.KeySlots)
        {
            if (Volatile.Read(ref _slotPurgedAt[slot]) > entry.Generation)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Stores what a miss that began at <paramref name="started"/> read, unless a purge makes it doubtful.</summary>
    public void Store(string key, string[] varyBy, IHeaderDictionary requestHeaders, CachedResponse entry, DateTimeOffset started)
    {
        if (!Alive(entry) || PurgedJustBefore(entry, started))
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

    /// <summary>Forgets every entry: the sequence first, so a racing fill is refused, then the memory.</summary>
    public void Purge(string source)
    {
        Volatile.Write(ref _lastFullPurgeTicks, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _fullPurgeAt, Interlocked.Increment(ref _sequence));
        _cache.Clear();
        _metrics.Purge(source);
        _metrics.Flush(source);
    }

    /// <summary>Forgets the entries of these surrogate keys (and those that declared none); the others stay.</summary>
    public void Purge(IReadOnlyCollection<string> keys, string source)
    {
        if (keys.Count == 0)
        {
            Purge(source);
            return;
        }

        var ticks = _time.GetUtcNow().UtcTicks;
        var at = Interlocked.Increment(ref _sequence);
        foreach (var slot in keys.Append(Unkeyed).Select(Slot).Distinct())
        {
            Volatile.Write(ref _slotPurgedTicks[slot], ticks);
            Volatile.Write(ref _slotPurgedAt[slot], at);
        }

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

    /// <summary>
    /// FNV-1a over the key's characters: the same slot in every gateway process (string.GetHashCode is seeded per
    /// process), so slots one gateway records in the shared store mean the same in another. Keys come from the
    /// services, never from clients, so a fixed hash gives nobody collisions to aim at.
    /// </summary>
    internal static int Slot(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % SlotCount);
    }

    private bool PurgedJustBefore(CachedResponse entry, DateTimeOffset started)
    {
        var limit = _noFillAfterPurge.Ticks;
        if (started.UtcTicks - Volatile.Read(ref _lastFullPurgeTicks) < limit)
        {
            return true;
        }

        return entry.KeySlots.Any(slot => started.UtcTicks - Volatile.Read(ref _slotPurgedTicks[slot]) < limit);
    }

    /// <summary>Expiry on the platform clock, so tests move time instead of waiting.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
