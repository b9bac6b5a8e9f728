using Dapper;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// One catalog replica with the full cache (memory L1, Redis L2, backplane) on a test store, counting its SQL
/// statements; <see cref="StartAsync"/> makes a deployment of replicas sharing one database and cache name.
/// </summary>
internal sealed class CachedCatalog(string redis, string cacheName, CachedCatalog? sharing, IReadOnlyDictionary<string, string?>? settings)
    : CachedReplica<Program>(redis, cacheName, sharing)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => settings ?? new Dictionary<string, string?>();

    /// <summary>Starts replicas 1..<paramref name="count"/> of one deployment on <paramref name="store"/>.</summary>
    public static Task<Deployment<CachedCatalog>> StartAsync(TestRedis store, int count, IReadOnlyDictionary<string, string?>? settings = null) =>
        CachedReplicas.StartAsync<CachedCatalog>(count, "catalog", (name, sharing) => new CachedCatalog(store.ConnectionString, name, sharing, settings));

    /// <summary>The same on a store of <paramref name="storeKind"/> of the deployment's own, stopped with it.</summary>
    public static Task<Deployment<CachedCatalog>> StartAsync(RedisStoreKind storeKind, int count, IReadOnlyDictionary<string, string?>? settings = null) =>
        CachedReplicas.StartOnOwnStoreAsync<CachedCatalog>(storeKind, count, "catalog", (store, name, sharing) => new CachedCatalog(store.ConnectionString, name, sharing, settings));

    /// <summary>A product written straight to the database, so no cache has seen it.</summary>
    public async Task<long> InsertBehindTheCacheAsync(string name)
    {
        await using var connection = await this.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO products (name, description, price_cents, stock, created_at, updated_at) VALUES (@Name, '', 100, 1, 0, 0) RETURNING id",
            new { Name = name });
    }
}
