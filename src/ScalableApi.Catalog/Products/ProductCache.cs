using Microsoft.Extensions.Caching.Hybrid;
using ScalableApi.Platform.Caching;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Anonymous product reads through the platform cache (memory L1, Redis L2, backplane). Items are keyed
/// <c>product:{id}</c>, without tags: a write replaces its item by key, and a tag would cost a second lookup (the
/// tag's expiry) on every hit; list pages are keyed by the whole query under the <c>products</c> collection version,
/// which every write replaces, so one write retires every cached page at once without listing them. Concurrent
/// misses for one key make one query (FusionCache's single flight). Every read comes here, signed in or not: a read
/// whose consistency token is newer than the entry reads the database instead (<see cref="ConsistentCaching"/>).
/// <para>
/// Writes are immune to standbys behind on replay: an item is never evicted by a write but replaced by what the
/// primary now holds (the new row, or "not found" after a delete: a tombstone), so the next read has nothing to
/// refill from a lagging standby; and pages filled shortly after a write read the primary
/// (<see cref="CollectionVersions.FillFromPrimary"/>). Plain eviction would let the first read after a DELETE, on
/// any replica, put the deleted row back for a whole TTL if its standby had not replayed the delete yet.
/// </para>
/// </summary>
internal sealed class ProductCache(HybridCache cache, IFusionCache fusion, CollectionVersions versions, ProductStore store)
{
    private const string Collection = "products";

    public static string ItemKey(long id) => string.Create(CultureInfo.InvariantCulture, $"product:{id}");

    public ValueTask<ProductRow?> GetAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken) =>
        cache.GetOrCreateConsistentAsync(
            ItemKey(id),
            (store, id),
            static async (state, read, ct) => await state.store.GetAsync(state.id, read, ct),
            consistency,
            cancellationToken);

    /// <summary>A page with its look-ahead row, as <see cref="ProductStore.ListAsync"/> returns it.</summary>
    public ValueTask<List<ProductRow>> ListAsync(ProductFilter filter, ReadConsistency consistency, CancellationToken cancellationToken) =>
        versions.GetOrCreateAsync(
            Collection,
            EntryKey(filter),
            (store, filter),
            static async (state, read, ct) => await state.store.ListAsync(state.filter, read, ct),
            consistency,
            cancellationToken);

    /// <summary>
    /// After a create or replace: the new row replaces the cached one (the backplane makes every replica drop its
    /// copy) rather than just evicting it, so the next anonymous read cannot refill it from a lagging replica.
    /// </summary>
    public async Task WrittenAsync(ProductRow row, CancellationToken cancellationToken)
    {
        await ReplaceAsync(row.Id, row, cancellationToken);
        await versions.ChangedAsync(Collection, cancellationToken);
    }

    /// <summary>
    /// After a delete: a cached "not found" (tombstone) replaces the product on every replica, for the same reason,
    /// and the pages are retired.
    /// </summary>
    public async Task DeletedAsync(long id, CancellationToken cancellationToken)
    {
        await ReplaceAsync(id, null, cancellationToken);
        await versions.ChangedAsync(Collection, cancellationToken);
    }

    /// <summary>After writes of many products at once (an import batch): every cached page is retired.</summary>
    public ValueTask ManyChangedAsync(CancellationToken cancellationToken) => versions.ChangedAsync(Collection, cancellationToken);

    /// <summary>
    /// Puts what this write committed, then what the primary holds if a concurrent write of the product committed after
    /// it (<see cref="ConsistentCaching.SetWrittenAsync{T}"/>): two PUTs racing cannot leave the older row cached.
    /// Rows are compared by version, which every write of the row increments.
    /// </summary>
    private ValueTask ReplaceAsync(long id, ProductRow? row, CancellationToken cancellationToken) =>
        fusion.SetWrittenAsync(
            ItemKey(id),
            row,
            ct => new ValueTask<ProductRow?>(store.GetAsync(id, ReadConsistency.Latest, ct)),
            static (a, b) => a?.Version == b?.Version,
            cancellationToken);

    /// <summary>Every part of the query, the free text last so no two queries share a key.</summary>
    private static string EntryKey(ProductFilter f) => string.Create(
        CultureInfo.InvariantCulture,
        $"l{f.Page.Limit}:c{f.Page.Before}:min{f.MinCents}:max{f.MaxCents}:q{f.Search}");
}
