namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// A product cache suite, run once per Redis-protocol store (<c>Garnet…</c> / <c>RedisServer…</c> subclasses): each
/// test starts its own deployment of cached catalog replicas on a store of <see cref="StoreKind"/>.
/// </summary>
public abstract class CachedCatalogSuite(RedisStoreKind storeKind)
{
    protected RedisStoreKind StoreKind => storeKind;

    /// <summary>Replicas 1..<paramref name="count"/> of one deployment on a store of the deployment's own.</summary>
    private protected Task<Deployment<CachedCatalog>> ReplicasAsync(int count, IReadOnlyDictionary<string, string?>? settings = null) =>
        CachedCatalog.StartAsync(storeKind, count, settings);
}
