using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Platform.Data;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// Version-based invalidation of cached list pages: pages of a collection (<c>products</c>,
/// <c>user:{id}:posts</c>, …) are keyed by the collection's current version, and every write replaces the version,
/// so one write retires all of its pages at once without listing them, on every replica (the backplane carries
/// the new version). The version also remembers when it changed, so a page filled right after a write can be
/// read from the primary: a standby still behind on replay would otherwise put the old rows back under the new
/// version for a whole TTL (see <see cref="CachingOptions.FillFromPrimaryAfterWrite"/>).
/// </summary>
public sealed class CollectionVersions(HybridCache cache, IFusionCache fusion, IOptions<CachingOptions> options, TimeProvider time)
{
    /// <summary>A version outlives the pages keyed by it; if one is ever lost, its pages are merely cold.</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    internal const string KeySuffix = ":version";

    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = Lifetime,
        LocalCacheExpiration = Lifetime,
    };

    /// <summary>The collection's version; a collection seen for the first time (or lost) counts as just written.</summary>
    public ValueTask<CollectionVersion> GetAsync(string collection, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            Key(collection),
            this,
            // Not knowing when the collection last changed, assume "just now": the pages of the next short
            // window are filled from the primary, which is always right.
            static (self, _) => ValueTask.FromResult(self.NewVersion()),
            Entry,
            cancellationToken: cancellationToken);

    /// <summary>After a write: every page of the collection, on every replica, is retired before the write answers.</summary>
    public ValueTask ChangedAsync(string collection, CancellationToken cancellationToken) =>
        fusion.SetAsync(
            Key(collection),
            NewVersion(),
            static o =>
            {
                // Fail-safe as long as the lifetime, as on reads (see CollectionVersionEntryOptions).
                o.Duration = Lifetime;
                o.FailSafeMaxDuration = Lifetime;
                ConsistentCaching.PublishToOtherReplicas(o);
            },
            cancellationToken);

    /// <summary>
    /// The entry <paramref name="entry"/> of <paramref name="collection"/> under the collection's current version
    /// (single flight on a miss), unless the request's <paramref name="consistency"/> (a consistency token) is newer
    /// than the entry (see <see cref="ConsistentCaching"/>). The factory is told how fresh its read must be:
    /// <see cref="ReadConsistency.Latest"/> right after a write (see <see cref="FillFromPrimary"/>), else
    /// <see cref="ReadConsistency.Any"/>, or the request's consistency when it bypasses the entry.
    /// </summary>
    public async ValueTask<T> GetOrCreateAsync<TState, T>(
        string collection,
        string entry,
        TState state,
        Func<TState, ReadConsistency, CancellationToken, ValueTask<T>> factory,
        ReadConsistency consistency,
        CancellationToken cancellationToken)
    {
        var version = await GetAsync(collection, cancellationToken);
        return await cache.GetOrCreateConsistentAsync(
            string.Create(CultureInfo.InvariantCulture, $"{collection}:v{version.Version}:{entry}"),
            state,
            factory,
            consistency,
            cancellationToken,
            fill: FillFromPrimary(version) ? ReadConsistency.Latest : ReadConsistency.Any);
    }

    /// <summary>Whether a page of this version should be filled from the primary rather than a standby.</summary>
    public bool FillFromPrimary(CollectionVersion version) =>
        time.GetUtcNow().ToUnixTimeMilliseconds() - version.ChangedAt < options.Value.FillFromPrimaryAfterWrite.TotalMilliseconds;

    private static string Key(string collection) => collection + KeySuffix;

    /// <summary>
    /// A random value rather than an increment: two replicas writing at once cannot both produce the same "next"
    /// version, and a version never comes back, so a page cached under an old one is never served again.
    /// </summary>
    private CollectionVersion NewVersion() =>
        new(Random.Shared.NextInt64(1, long.MaxValue), time.GetUtcNow().ToUnixTimeMilliseconds());
}

/// <summary>
/// The defaults a version key starts from on the <see cref="HybridCache"/> path (whose entry options cannot say
/// anything about fail-safe): fail-safe as long as the version's lifetime. Shorter, FusionCache warns on every set of
/// the entry, a fill, a write or the copy from Redis after the backplane evicted it (about a thousand lines a second
/// under bench/run's signed-in mix, #14.5), and then uses the lifetime anyway, so nothing else changes. Every other
/// key gets the cache's defaults.
/// </summary>
internal sealed class CollectionVersionEntryOptions(FusionCacheEntryOptions defaults) : FusionCacheEntryOptionsProvider
{
    public override FusionCacheEntryOptions? GetEntryOptions(FusionCacheEntryOptionsProviderContext ctx, string key, out bool canMutate)
    {
        // A copy per call, as FusionCache makes of the defaults for every HybridCache call anyway: the adapter sets
        // the durations on it.
        canMutate = true;
        if (!key.EndsWith(CollectionVersions.KeySuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var options = defaults.Duplicate(CollectionVersions.Lifetime);
        options.FailSafeMaxDuration = CollectionVersions.Lifetime;
        return options;
    }
}

/// <summary>A collection's current version and when it was set (unix milliseconds).</summary>
public sealed record CollectionVersion(long Version, long ChangedAt);
