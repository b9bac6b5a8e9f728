namespace ScalableApi.Platform.Caching;

/// <summary>
/// Section <c>Caching</c>: how long entries live and how the cache behaves when Redis or the database is slow or
/// down. Defaults favour availability: a slow Redis costs at most <see cref="DistributedCacheSoftTimeout"/> per
/// read, and a failing database is hidden behind the last good value for up to <see cref="FailSafeMaxDuration"/>.
/// </summary>
public sealed class CachingOptions
{
    public const string SectionName = "Caching";

    /// <summary>
    /// Names the cache: the prefix of every key in Redis and of the backplane channel, and the <c>cache</c> label
    /// of the metrics. Defaults to the service name, so services sharing one Redis never see each other's keys.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// How long an entry is fresh (time-based invalidation; writes evict earlier). Only a safety net: every write
    /// replaces or retires what it changes on every replica before it answers, so expiry bounds only how long a
    /// missed eviction (backplane down, and auto-recovery lost it) can show an old value. 5 minutes: with 60 s,
    /// entries expired faster than the signed-in mix reads them again, and refills (Redis lock, query, Redis write)
    /// were the largest cost per request (docs/adr/0009-cache-duration.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "must be from 1 ms to 1 day")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A random extra up to this much per entry, so entries filled together do not expire together. Half of
    /// <see cref="Duration"/> by default: with a tenth, 10,000 products primed together were all refilled within
    /// about 15 s of each other, a burst of up to 1,100 database queries (and Redis locks, writes, backplane
    /// messages) per second per replica, then nothing for 45 s, and again on the next round.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be from 0 to 1 day")]
    public TimeSpan JitterMaxDuration { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>Serve an expired value when refreshing it fails (database down), for at most this long.</summary>
    public bool FailSafe { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00", ErrorMessage = "must be from 1 ms to 7 days")]
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After a failed refresh, the stale value is reused this long before the factory is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be from 0 to 1 day")]
    public TimeSpan FailSafeThrottleDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When a stale value exists, a database query slower than this answers with the stale value instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "must be from 1 ms to 10 minutes")]
    public TimeSpan FactorySoftTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On a miss, how long a replica waits for another replica's query of the same key (Redis lock) before it
    /// queries the database itself. Single flight across replicas, bounded.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "must be from 1 ms to 10 minutes")]
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A Redis read slower than this is skipped (the database answers); a write goes on in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "must be from 1 ms to 10 minutes")]
    public TimeSpan DistributedCacheSoftTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A Redis operation slower than this is abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "must be from 1 ms to 10 minutes")]
    public TimeSpan DistributedCacheHardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After a Redis error, Redis (L2) is not tried again for this long: no timeout on every request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 (off) to 1 hour")]
    public TimeSpan DistributedCacheCircuitBreakerDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a write, cached pages of the written collection are filled from the primary for this long, and only
    /// then from standbys again: a standby behind on replay must not put the rows before the write back into the
    /// cache (for a whole <see cref="Duration"/>). Generous against replay lag of milliseconds; the cost is that
    /// the few refills in the window go to the primary.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 to 1 hour")]
    public TimeSpan FillFromPrimaryAfterWrite { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Store channel on which this service tells the gateways to purge their edge caches, for changes no write through
    /// a gateway carried (an event's cascade, <c>create-admin</c>): the gateways' <c>Gateway:EdgeCache:PurgeChannel</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must name a channel")]
    public string EdgePurgeChannel { get; set; } = EdgePurges.Channel;

    /// <summary>
    /// How long the gateways' edge caches may keep a public read (<c>Surrogate-Control: max-age</c>, which only the
    /// gateway reads and strips; browsers and any CDN still get <c>Cache-Control: max-age=30</c>, as they hear no
    /// purge). As <see cref="Duration"/> for the replicas' caches: a safety net, since every write purges what it
    /// changed at every gateway; with 30 s, the edge expired entries faster than the signed-in mix read them again
    /// (5 % of post reads were hits, bench/results/2026-12-04-replica). 0: the gateways keep <c>Cache-Control</c>'s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be from 0 (off) to 1 day")]
    public TimeSpan EdgeMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The <c>Surrogate-Control</c> value for <see cref="EdgeMaxAge"/> (null when 0), made once.</summary>
    internal string? SurrogateControl() =>
        _surrogateControl ??= EdgeMaxAge > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"max-age={Math.Max(1, (long)EdgeMaxAge.TotalSeconds)}")
            : "";

    private string? _surrogateControl;

    /// <summary>After a backplane error, the backplane is not tried again for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 (off) to 1 hour")]
    public TimeSpan BackplaneCircuitBreakerDuration { get; set; } = TimeSpan.FromSeconds(5);
}
