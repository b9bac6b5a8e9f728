namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// Configuration section <c>Gateway:EdgeCache</c>: anonymous public GETs answered from this gateway's memory.
/// What is cached and for how long is the service's call (<c>Cache-Control: public, max-age</c>); these bound it.
/// </summary>
public sealed class EdgeCacheOptions
{
    public const string SectionName = "Gateway:EdgeCache";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// YARP route ids, or path prefixes (starting with <c>/</c>), the cache serves. Every other route is passed
    /// through untouched. The defaults (appsettings.json) are the anonymous read routes.
    /// </summary>
    public IList<string> Routes { get; } = [];

    /// <summary>Memory the cached bodies and headers may take; least recently used entries go first. Default 64 MiB.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "must be at least 1024 bytes")]
    public long SizeLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A larger response streams through uncached (the catalog export). Default 1 MiB.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1 byte")]
    public int MaxEntryBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Longest an entry is fresh, whatever the service sends (<c>Surrogate-Control: max-age</c>, else
    /// <c>s-maxage</c>/<c>max-age</c>). Default 5 min, the services' own <c>Caching:EdgeMaxAge</c>: purges keep entries
    /// current, expiry is only the net under a purge lost while this gateway was not listening.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "must be from 1 ms to 1 day")]
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long past freshness an entry may still answer when the upstream fails (5xx or no destination). 0 turns
    /// stale-if-error off. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be from 0 to 1 day")]
    public TimeSpan StaleIfError { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// With a Redis-protocol store configured but the purge channel down, hits older than this are not served
    /// (another gateway's write could not reach us). Default 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "must be from 0 to 1 minute")]
    public TimeSpan MaxAgeWhilePurgeChannelDown { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a purge, misses that start within this long are proxied but not stored: the other replicas of the
    /// service drop their memory copies by backplane a few milliseconds after the write's response, and a miss
    /// answered from one of them in between must not be pinned here for max-age. Default 500 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "must be from 0 to 1 minute")]
    public TimeSpan NoFillAfterPurge { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Redis-protocol channel on which gateways tell each other to purge. Default <c>scalableapi:edge-cache:purge</c>
    /// (services publish cascades there: change it only with theirs).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must name a channel")]
    public string PurgeChannel { get; set; } = Platform.Caching.EdgePurges.Channel;

    /// <summary>
    /// Write paths (prefixes) that change nothing a public read shows, so they do not purge: signing in must not
    /// empty the cache. Default <c>/api/auth/login</c>, <c>/api/auth/refresh</c> (appsettings.json).
    /// </summary>
    public IList<string> NonPurgingWritePaths { get; } = [];
}
