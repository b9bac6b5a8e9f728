using System.Globalization;
using Microsoft.Extensions.Caching.Hybrid;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Anonymous product reads through the platform cache (memory L1, Redis L2, backplane). Items are keyed and tagged
/// <c>product:{id}</c>; list pages are keyed by the whole query plus the collection version, which every write
/// replaces, so one write retires every cached page at once without listing them. Concurrent misses for one key
/// make one query (FusionCache's single flight). Signed-in callers do not come here: they read the primary.
/// </summary>
internal sealed class ProductCache(HybridCache cache, ProductStore store)
{
    private const string VersionKey = "products:version";

    /// <summary>The version outlives the pages keyed by it; if it is ever lost, pages are merely cold.</summary>
    private static readonly HybridCacheEntryOptions VersionEntry = new() { Expiration = TimeSpan.FromDays(1), LocalCacheExpiration = TimeSpan.FromDays(1) };

    public static string ItemTag(long id) => string.Create(CultureInfo.InvariantCulture, $"product:{id}");

    public ValueTask<ProductRow?> GetAsync(long id, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(
            ItemTag(id),
            (store, id),
            static async (state, ct) => await state.store.GetAsync(state.id, primary: false, ct),
            tags: [ItemTag(id)],
            cancellationToken: cancellationToken);

    public async ValueTask<(IReadOnlyList<ProductRow> Rows, bool HasMore)> ListAsync(ProductFilter filter, CancellationToken cancellationToken)
    {
        var version = await cache.GetOrCreateAsync(VersionKey, static _ => ValueTask.FromResult(NewVersion()), VersionEntry, cancellationToken: cancellationToken);
        var page = await cache.GetOrCreateAsync(
            PageKey(version, filter),
            (store, filter),
            static async (state, ct) =>
            {
                var (rows, hasMore) = await state.store.ListAsync(state.filter, primary: false, ct);
                return new CachedPage([.. rows], hasMore);
            },
            cancellationToken: cancellationToken);
        return (page.Rows, page.HasMore);
    }

    /// <summary>
    /// After a create or replace: the new row replaces the cached one (the backplane makes every replica drop its
    /// copy) rather than just evicting it, so the next anonymous read cannot refill it from a lagging replica.
    /// </summary>
    public async Task WrittenAsync(ProductRow row, CancellationToken cancellationToken)
    {
        await cache.SetAsync(ItemTag(row.Id), row, tags: [ItemTag(row.Id)], cancellationToken: cancellationToken);
        await BumpVersionAsync(cancellationToken);
    }

    /// <summary>After a delete: evicts by tag on every replica (through the backplane) and retires the pages.</summary>
    public async Task DeletedAsync(long id, CancellationToken cancellationToken)
    {
        await cache.RemoveByTagAsync(ItemTag(id), cancellationToken);
        await BumpVersionAsync(cancellationToken);
    }

    private ValueTask BumpVersionAsync(CancellationToken cancellationToken) =>
        cache.SetAsync(VersionKey, NewVersion(), VersionEntry, cancellationToken: cancellationToken);

    /// <summary>
    /// A random value rather than an increment: two replicas writing at once cannot both produce the same "next"
    /// version, and a version never comes back, so a page cached under an old one is never served again.
    /// </summary>
    private static long NewVersion() => Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>Every part of the query, the free text last so no two queries share a key.</summary>
    private static string PageKey(long version, ProductFilter f) => string.Create(
        CultureInfo.InvariantCulture,
        $"products:v{version}:l{f.Limit}:c{f.BeforeId}:min{f.MinCents}:max{f.MaxCents}:q{f.Search}");

    /// <summary>A list page as cached (serialised to Redis as JSON).</summary>
    internal sealed record CachedPage(List<ProductRow> Rows, bool HasMore);
}
