using ScalableApi.Catalog.Tests.Support;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// One catalog replica with the full cache (memory L1, Redis L2, backplane) on <paramref name="redis"/>. Replicas
/// built with the same <paramref name="cacheName"/> and <paramref name="sharing"/> another's database form one
/// deployment; the unique name keeps tests apart on a shared redis-server (every test database starts at id 1).
/// </summary>
internal sealed class CachedCatalog(string redis, string cacheName, CachedCatalog? sharing) : StatementCountingSqliteFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings
    {
        get
        {
            yield return new("ConnectionStrings:redis", redis);
            yield return new("Caching:Name", cacheName);
            if (sharing is not null)
            {
                yield return new("Database:ConnectionString", sharing.Database.ConnectionString);
            }
        }
    }

    public string CacheName => cacheName;

    /// <summary>Starts replicas 1..<paramref name="count"/> of one deployment on <paramref name="store"/>.</summary>
    public static async Task<CachedCatalog[]> StartAsync(TestRedis store, int count)
    {
        var name = "catalog-test-" + Guid.NewGuid().ToString("N")[..12];
        var replicas = new CachedCatalog[count];
        for (var i = 0; i < count; i++)
        {
            replicas[i] = new CachedCatalog(store.ConnectionString, name, i == 0 ? null : replicas[0]);
            await ((IAsyncLifetime)replicas[i]).InitializeAsync();
        }

        return replicas;
    }

    /// <summary>Stops the replicas, the one owning the database last.</summary>
    public static async Task StopAsync(CachedCatalog[] replicas)
    {
        foreach (var replica in replicas.Reverse())
        {
            await ((IAsyncLifetime)replica).DisposeAsync();
        }
    }
}
