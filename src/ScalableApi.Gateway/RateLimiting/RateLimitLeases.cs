using System.Collections.Concurrent;

namespace ScalableApi.Gateway.RateLimiting;

/// <summary>What a request gets from <see cref="RateLimitLeases.AcquireAsync"/>.</summary>
/// <param name="Used">Requests of the window counted so far, this one included (as far as this gateway knows).</param>
public readonly record struct LeaseResult(bool Allowed, long Used, TimeSpan ResetsIn);

/// <summary>
/// A client's allowance taken from the shared store in leases. Asking the store on every request is a network
/// round trip per request (the gateway's largest single cost under load); instead a gateway counts several requests
/// into the store at once and then allows them locally, one per request.
/// <para>
/// Never more than the limit across all gateways: a lease is counted in the store before any of its requests is
/// allowed, and a lease that would pass the limit is cut to what is left. The price is the other way: tokens one
/// gateway holds are not available to the same client at another gateway, so a client spreading requests over
/// gateways may be limited slightly early. Leases are small to keep that small: at most
/// <see cref="RateLimitOptions.MaxLease"/>, and at most an eighth of what is left of the window, so the last few
/// requests before the limit each ask the store (with limits below 16 every request does).
/// </para>
/// </summary>
public sealed class RateLimitLeases(RateLimitStore store, IOptions<RateLimitOptions> options, TimeProvider time)
{
    private const int LeaseDivisor = 8;
    private readonly RateLimitOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>Allows or refuses one request against <paramref name="limit"/> per window for <paramref name="key"/>.</summary>
    /// <exception cref="RateLimitStoreException">The store did not answer.</exception>
    public async ValueTask<LeaseResult> AcquireAsync(string key, int limit)
    {
        var now = time.GetTimestamp();
        SweepIfDue(now);
        var lease = _leases.GetOrAdd(key, static _ => new Lease());
        long knownCount;
        lock (lease)
        {
            if (lease.ResetsAt > now && lease.Tokens > 0)
            {
                lease.Tokens--;
                return new LeaseResult(true, lease.Count - lease.Tokens, ResetsIn(lease.ResetsAt, now));
            }

            knownCount = lease.ResetsAt > now ? lease.Count : 0;
        }

        var size = LeaseSize(limit, knownCount);
        var window = await store.IncrementAsync(key, size);
        // What passed the limit in this lease is not ours to use (the store keeps counting refusals, as one-by-one did).
        var granted = Math.Clamp(size - Math.Max(0, window.Count - limit), 0, size);
        now = time.GetTimestamp();
        var resetsAt = now + (long)(window.ResetsIn.TotalSeconds * time.TimestampFrequency);
        lock (lease)
        {
            if (lease.ResetsAt <= now)
            {
                lease.Tokens = 0; // a new window: what was left of the old one is gone
            }

            lease.ResetsAt = resetsAt;
            lease.Count = Math.Max(lease.Count, window.Count);
            if (granted == 0)
            {
                return new LeaseResult(false, window.Count, window.ResetsIn);
            }

            lease.Tokens += granted - 1;
            return new LeaseResult(true, Math.Min(limit, lease.Count - lease.Tokens), window.ResetsIn);
        }
    }

    private long LeaseSize(int limit, long knownCount) =>
        Math.Clamp((limit - knownCount) / LeaseDivisor, 1, _options.MaxLease);

    private TimeSpan ResetsIn(long resetsAt, long now) => TimeSpan.FromSeconds((resetsAt - now) / (double)time.TimestampFrequency);

    /// <summary>Leases of finished windows are dropped once per window, so one-off clients do not pile up.</summary>
    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(_options.Window.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (var (key, lease) in _leases)
        {
            if (Volatile.Read(ref lease.ResetsAt) <= now)
            {
                _leases.TryRemove(new KeyValuePair<string, Lease>(key, lease));
            }
        }
    }

    private sealed class Lease
    {
        /// <summary>Requests this gateway may still allow in the current window without asking the store.</summary>
        public long Tokens;

        /// <summary>The window's count in the store at the last lease (all gateways, this lease included).</summary>
        public long Count;

        /// <summary>When the window ends, as a <see cref="TimeProvider"/> timestamp.</summary>
        public long ResetsAt;
    }
}
